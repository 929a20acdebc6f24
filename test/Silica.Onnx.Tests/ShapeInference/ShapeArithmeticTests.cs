using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using static Silica.Onnx.Tests.ShapeInference.InferenceHarness;

namespace Silica.Onnx.Tests.ShapeInference;

/// <summary>Partial constant propagation: shapes computed inside the graph resolve, symbols included.</summary>
public sealed class ShapeArithmeticTests
{
    [Theory]
    [InlineData("batch,seq,768", new long[] { 0, 0, 12, 64 }, "[batch,seq,12,64]")]
    [InlineData("batch,seq,768", new long[] { 0, 0, 12, -1 }, "[batch,seq,12,64]")]
    [InlineData("2,3,4", new long[] { -1, 4 }, "[6,4]")]
    [InlineData("batch,3,4", new long[] { -1, 12 }, "[batch,12]")]
    [InlineData("batch,3,4", new long[] { 0, -1 }, "[batch,12]")]
    [InlineData("batch,seq,4", new long[] { -1, 4 }, "[?,4]")]
    [InlineData("2,0,4", new long[] { 0, -1 }, "[2,0]")]
    public void Reshape_ZeroAndMinusOne_CopyAndComputeDims(string input, long[] target, string expected)
    {
        var type = Infer(b => b.Node("Reshape", [b.Input("x", TensorDataType.Float, Dims(input)), b.ConstantInt64("shape", target)]));
        Assert.Equal(expected, type.Shape!.ToString());
    }

    /// <summary>The pattern BERT and GPT-2 exports use to split heads: Shape → Gather → Unsqueeze → Concat → Reshape.</summary>
    [Fact]
    public void Reshape_ShapeGatherConcatChain_KeepsSymbols()
    {
        var type = Infer(b =>
        {
            var x = b.Input("x", TensorDataType.Float, "batch", "seq", 768);
            var shape = b.Node("Shape", [x]);
            Value Dim(long i) => b.Node("Unsqueeze", [b.Node("Gather", [shape, Scalar(b, "i", i)], Attr.Int("axis", 0)), b.ConstantInt64("axes", 0)]);
            var target = b.Node("Concat", [Dim(0), Dim(1), b.ConstantInt64("heads", 12, 64)], Attr.Int("axis", 0));
            var reshaped = b.Node("Reshape", [x, target]);
            return b.Node("Transpose", [reshaped], Attr.Ints("perm", 0, 2, 1, 3));
        });
        Assert.Equal("float[batch,12,seq,64]", type.ToString());
    }

    [Fact]
    public void Reshape_ShapeArithmeticOnDims_ResolvesWithBindings()
    {
        // seq * 2 is not a symbol, but binding seq makes the product a number.
        var bindings = new Dictionary<string, long> { ["seq"] = 10 };
        var type = Infer(b =>
        {
            var x = b.Input("x", TensorDataType.Float, "seq", 2, 3);
            var shape = b.Node("Shape", [x]);
            var seq = b.Node("Slice", [shape, b.ConstantInt64("s", 0), b.ConstantInt64("e", 1)]);
            var rows = b.Node("Mul", [seq, b.ConstantInt64("two", 2)]);
            return b.Node("Reshape", [x, b.Node("Concat", [rows, b.ConstantInt64("c", -1)], Attr.Int("axis", 0))]);
        }, bindings: bindings);
        Assert.Equal("float[20,3]", type.ToString());
    }

    [Fact]
    public void ConstantOfShape_FromShapeOfSymbolicInput_KeepsSymbols()
    {
        var type = Infer(b => b.Node("ConstantOfShape", [b.Node("Shape", [b.Input("x", TensorDataType.Float, "batch", 7)])]));
        Assert.Equal("float[batch,7]", type.ToString());
    }

    [Fact]
    public void Expand_ToShapeOfOtherInput_Broadcasts()
    {
        var type = Infer(b => b.Node("Expand", [b.Input("x", TensorDataType.Float, 1, 64),
            b.Node("Shape", [b.Input("y", TensorDataType.Float, "batch", "seq", 1)])]));
        Assert.Equal("float[batch,seq,64]", type.ToString());
    }

    [Fact]
    public void Range_FromSizeOfDimension_HasThatLength()
    {
        var type = Infer(b =>
        {
            var n = b.Node("Squeeze", [b.Node("Slice", [b.Node("Shape", [b.Input("x", TensorDataType.Float, 2, 9)]),
                b.ConstantInt64("s", 1), b.ConstantInt64("e", 2)]), b.ConstantInt64("a", 0)]);
            return b.Node("Range", [Scalar(b, "start", 0), n, Scalar(b, "step", 2)]);
        });
        Assert.Equal("int64[5]", type.ToString());
    }

    [Fact]
    public void Shape_StartEnd_SelectsDims()
    {
        var type = Infer(b => b.Node("Reshape", [b.Input("x", TensorDataType.Float, 6),
            b.Node("Shape", [b.Input("y", TensorDataType.Float, 9, 2, 3, 4)], Attr.Int("start", 1), Attr.Int("end", -1))]), opset: 15);
        Assert.Equal("float[2,3]", type.ToString());
    }

    [Fact]
    public void Where_EqualOnShapes_SelectsKnownBranch()
    {
        // The ONNX exporters' "replace 0 by the input dim" idiom: Where(Equal(t, 0), shape, t).
        var type = Infer(b =>
        {
            var x = b.Input("x", TensorDataType.Float, "batch", 4, 6);
            var t = b.ConstantInt64("t", 0, 0, 2, 12);
            var shape = b.Node("Slice", [b.Node("Concat", [b.Node("Shape", [x]), b.ConstantInt64("one", 1)], Attr.Int("axis", 0)),
                b.ConstantInt64("s", 0), b.ConstantInt64("e", 4)]);
            var target = b.Node("Where", [b.Node("Equal", [t, b.ConstantInt64("z", 0)]), shape, t]);
            return b.Node("Reshape", [b.Node("Unsqueeze", [x, b.ConstantInt64("a", 3)]), target]);
        });
        Assert.Equal("float[batch,4,2,12]", type.ToString());
    }

    [Fact]
    public void Tile_KnownRepeats_MultipliesDims()
    {
        var type = Infer(b => b.Node("Tile", [b.Input("x", TensorDataType.Float, "batch", 2, 3), b.ConstantInt64("r", 1, 3, 2)]));
        Assert.Equal("float[batch,6,6]", type.ToString());
    }

    private static Value Scalar(GraphBuilder b, string name, long value) =>
        b.Graph.AddInitializer(TensorData.FromInt64s(b.Graph.UniqueName(name), [], [value]));
}
