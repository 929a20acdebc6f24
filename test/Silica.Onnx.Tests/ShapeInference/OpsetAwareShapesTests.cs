using Silica.Onnx.Building;
using Silica.Onnx.Model;
using static Silica.Onnx.Tests.ShapeInference.InferenceHarness;

namespace Silica.Onnx.Tests.ShapeInference;

/// <summary>Operators whose attributes became inputs in later opsets are read from the right place.</summary>
public sealed class OpsetAwareShapesTests
{
    [Theory]
    [InlineData(9)]
    [InlineData(13)]
    public void Slice_AttributesOrInputs_SameResult(long opset)
    {
        var type = Infer(b =>
        {
            var x = b.Input("x", TensorDataType.Float, "batch", 10, 20);
            return opset < 10
                ? b.Node("Slice", [x], Attr.Ints("starts", 2, -5), Attr.Ints("ends", 8, long.MaxValue), Attr.Ints("axes", 1, 2))
                : b.Node("Slice", [x, b.ConstantInt64("s", 2, -5), b.ConstantInt64("e", 8, long.MaxValue), b.ConstantInt64("a", 1, 2)]);
        }, opset);
        Assert.Equal("float[batch,6,5]", type.ToString());
    }

    [Theory]
    [InlineData(0, 10, 1, "[10]")]
    [InlineData(-1, -11, -1, "[10]")]
    [InlineData(1, 10, 3, "[3]")]
    [InlineData(5, 2, 1, "[0]")]
    public void Slice_StepsAndNegativeBounds_FollowClampingRules(long start, long end, long step, string expected)
    {
        var type = Infer(b => b.Node("Slice", [b.Input("x", TensorDataType.Float, 10), b.ConstantInt64("s", start),
            b.ConstantInt64("e", end), b.ConstantInt64("a", 0), b.ConstantInt64("p", step)]));
        Assert.Equal(expected, type.Shape!.ToString());
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    public void SqueezeUnsqueeze_AttributesOrInputs_SameResult(long opset)
    {
        var type = Infer(b =>
        {
            var x = b.Input("x", TensorDataType.Float, "batch", 1, 5);
            var squeezed = opset < 13 ? b.Node("Squeeze", [x], Attr.Ints("axes", 1)) : b.Node("Squeeze", [x, b.ConstantInt64("a", 1)]);
            return opset < 13 ? b.Node("Unsqueeze", [squeezed], Attr.Ints("axes", 0, -1)) : b.Node("Unsqueeze", [squeezed, b.ConstantInt64("u", 0, -1)]);
        }, opset);
        Assert.Equal("float[1,batch,5,1]", type.ToString());
    }

    [Theory]
    [InlineData(13, 1)]
    [InlineData(18, 1)]
    [InlineData(13, 0)]
    [InlineData(18, 0)]
    public void ReduceMean_AxesAttributeOrInput_ReducesThoseAxes(long opset, long keepDims)
    {
        var type = Infer(b =>
        {
            var x = b.Input("x", TensorDataType.Float, "batch", "seq", 768);
            return opset < 18
                ? b.Node("ReduceMean", [x], Attr.Ints("axes", -1), Attr.Int("keepdims", keepDims))
                : b.Node("ReduceMean", [x, b.ConstantInt64("a", -1)], Attr.Int("keepdims", keepDims));
        }, opset);
        Assert.Equal(keepDims == 1 ? "[batch,seq,1]" : "[batch,seq]", type.Shape!.ToString());
    }

    [Theory]
    [InlineData(11)]
    [InlineData(13)]
    [InlineData(18)]
    public void Split_SizesAttributeInputOrEqualParts_SplitsAxis(long opset)
    {
        var b = new GraphBuilder("t", opset);
        var x = b.Input("x", TensorDataType.Float, "batch", 12);
        var parts = opset switch
        {
            < 13 => b.Node("Split", [x], 2, Attr.Int("axis", 1), Attr.Ints("split", 4, 8)),
            < 18 => b.Node("Split", [x, b.ConstantInt64("s", 4, 8)], 2, Attr.Int("axis", 1)),
            _ => b.Node("Split", [x], 3, Attr.Int("axis", 1), Attr.Int("num_outputs", 3)),
        };
        Assert.Empty(Silica.Onnx.ShapeInference.ShapeInferencer.Infer(b.Build()).Diagnostics);
        Assert.Equal(opset < 18 ? ["[batch,4]", "[batch,8]"] : ["[batch,4]", "[batch,4]", "[batch,4]"], parts.Select(p => p.Type!.Shape!.ToString()));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(18)]
    public void Pad_AttributeOrInput_GrowsAxes(long opset)
    {
        var type = Infer(b =>
        {
            var x = b.Input("x", TensorDataType.Float, 1, 3, 10, 10);
            return opset < 11
                ? b.Node("Pad", [x], Attr.Ints("pads", 0, 0, 1, 2, 0, 0, 3, 4))
                : opset < 18 ? b.Node("Pad", [x, b.ConstantInt64("p", 0, 0, 1, 2, 0, 0, 3, 4)])
                : b.Node("Pad", [x, b.ConstantInt64("p", 1, 2, 3, 4), null, b.ConstantInt64("a", 2, 3)]);
        }, opset);
        Assert.Equal("[1,3,14,16]", type.Shape!.ToString());
    }

    [Theory]
    [InlineData(9)]
    [InlineData(11)]
    public void Clip_MinMaxAttributeOrInput_KeepsShape(long opset)
    {
        var type = Infer(b => opset < 11
            ? b.Node("Clip", [b.Input("x", TensorDataType.Float, "n", 4)], Attr.Float("min", 0), Attr.Float("max", 6))
            : b.Node("Clip", [b.Input("x", TensorDataType.Float, "n", 4), b.ScalarFloat("lo", 0), b.ScalarFloat("hi", 6)]), opset);
        Assert.Equal("float[n,4]", type.ToString());
    }

    [Theory]
    [InlineData(9, "scales")]
    [InlineData(11, "scales")]
    [InlineData(13, "sizes")]
    public void ResizeUpsample_ScalesOrSizes_ScaleSpatialAxes(long opset, string by)
    {
        var type = Infer(b =>
        {
            var x = b.Input("x", TensorDataType.Float, "n", 3, 20, 30);
            var scales = b.ConstantFloat("scales", [4], 1, 1, 2, 0.5f);
            if (opset < 10)
            {
                return b.Node("Upsample", [x, scales]);
            }
            return by == "scales"
                ? b.Node("Resize", [x, b.ConstantFloat("roi", [0]), scales])
                : b.Node("Resize", [x, null, null, b.ConstantInt64("sizes", 1, 3, 40, 15)]);
        }, opset);
        Assert.Equal(by == "sizes" ? "float[1,3,40,15]" : "float[n,3,40,15]", type.ToString());
    }

    [Fact]
    public void TopK_KnownK_SetsAxisSize()
    {
        var b = new GraphBuilder("t");
        var k = b.ConstantInt64("k", 3);
        var outs = b.Node("TopK", [b.Input("x", TensorDataType.Float, "n", 10), k], 2);
        Assert.Empty(Silica.Onnx.ShapeInference.ShapeInferencer.Infer(b.Build()).Diagnostics);
        Assert.Equal("float[n,3]", outs[0].Type!.ToString());
        Assert.Equal("int64[n,3]", outs[1].Type!.ToString());
    }

    [Theory]
    [InlineData("DepthToSpace", "1,16,5,5", "[1,4,10,10]")]
    [InlineData("SpaceToDepth", "1,4,10,10", "[1,16,5,5]")]
    public void DepthSpace_Blocksize_MovesChannels(string op, string input, string expected) =>
        Assert.Equal(expected, Single(op, [input], 17, Attr.Int("blocksize", 2)));

    [Fact]
    public void OneHot_KnownDepth_InsertsAxis()
    {
        var type = Infer(b => b.Node("OneHot", [b.Input("i", TensorDataType.Int64, "n", 5), b.ConstantInt64("d", 7),
            b.ConstantFloat("v", [2], 0, 1)], Attr.Int("axis", -1)));
        Assert.Equal("float[n,5,7]", type.ToString());
    }
}
