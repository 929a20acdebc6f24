using Silica.Onnx.Building;
using Silica.Onnx.Model;
using Silica.Onnx.ShapeInference;
using static Silica.Onnx.Tests.ShapeInference.InferenceHarness;

namespace Silica.Onnx.Tests.ShapeInference;

public sealed class ShapeInferencerTests
{
    [Fact]
    public void Infer_UnsupportedOperator_ReportsDiagnosticAndLeavesOutputUnknown()
    {
        var (value, result) = InferWithResult(b => b.Node("Loop", [b.Input("x", TensorDataType.Float, 2)]));

        var d = Assert.Single(result.Diagnostics);
        Assert.Equal("Loop", d.OpType);
        Assert.Equal($"cannot infer shape of Loop node '{d.NodeName}': unsupported operator", d.Message);
        Assert.Null(value.Type);
        Assert.False(result.IsComplete);
    }

    [Fact]
    public void Infer_UnknownDomain_NamesTheDomain()
    {
        var (_, result) = InferWithResult(b => b.DomainNode("com.example", "Fancy", [b.Input("x", TensorDataType.Float, 2)]));

        Assert.Contains("unsupported operator in domain 'com.example'", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Infer_ConsumerOfFailedNode_AddsNoSecondDiagnostic()
    {
        var (value, result) = InferWithResult(b => b.Node("Relu", [b.Node("If", [b.Input("c", TensorDataType.Bool)])]));

        Assert.Single(result.Diagnostics);
        Assert.Null(value.Type);
    }

    [Theory]
    [InlineData("Conv", "strides")]
    [InlineData("Transpose", "perm")]
    [InlineData("Concat", "axis")]
    public void Infer_InvalidAttribute_ReportsDiagnosticInsteadOfThrowing(string opType, string attribute)
    {
        var (_, result) = InferWithResult(b =>
        {
            var x = b.Input("x", TensorDataType.Float, 1, 3, 8, 8);
            return opType == "Conv"
                ? b.Node("Conv", [x, b.Weight("w", [4, 3, 3, 3])], Attr.Ints(attribute, 1))
                : b.Node(opType, [x, x], opType == "Concat" ? Attr.Int(attribute, 7) : Attr.Ints(attribute, 7));
        });

        var d = Assert.Single(result.Diagnostics);
        Assert.StartsWith($"cannot infer shape of {opType} node", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Infer_ReshapeWithMalformedShapeConstant_ReportsDiagnostic()
    {
        var (_, result) = InferWithResult(b => b.Node("Reshape", [b.Input("x", TensorDataType.Float, 2, 3), b.ConstantInt64("s", -1, -1)]));

        Assert.Contains("more than one -1", Assert.Single(result.Diagnostics).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Infer_WithBindings_ReplacesSymbolsInInputsAndOutputs()
    {
        var b = new GraphBuilder("t");
        var x = b.Input("x", TensorDataType.Float, "batch", "seq", 768);
        var y = b.Node("MatMul", [x, b.Weight("w", [768, 3072], WeightFill.Zeros)]);
        b.Graph.AddOutput(y);

        var result = ShapeInferencer.Infer(b.Build(), new Dictionary<string, long> { ["batch"] = 8, ["seq"] = 128 });

        Assert.True(result.IsComplete);
        Assert.Equal("float[8,128,3072]", y.Type!.ToString());
        Assert.Equal("[8,128,768]", x.Type!.Shape!.ToString());
    }

    [Fact]
    public void Infer_DataDependentLength_IsNotComplete()
    {
        var (value, result) = InferWithResult(b => b.Node("NonZero", [b.Input("x", TensorDataType.Float, 3, 4)]));

        Assert.Empty(result.Diagnostics);
        Assert.Equal("int64[2,?]", value.Type!.ToString());
        Assert.Contains(value.Name, result.IncompleteValues);
        Assert.False(result.IsComplete);
    }

    [Fact]
    public void Infer_OverwritesStaleDeclaredType()
    {
        var b = new GraphBuilder("t");
        var y = b.Node("Relu", [b.Input("x", TensorDataType.Float, 2, 5)]);
        y.Type = new TensorType(TensorDataType.Float, TensorShape.Of(9));
        b.Graph.AddOutput(y);

        ShapeInferencer.Infer(b.Build());

        Assert.Equal("float[2,5]", y.Type!.ToString());
    }
}
