using Silica.Onnx.Building;
using Silica.Onnx.Model;
using static Silica.Onnx.Tests.ShapeInference.InferenceHarness;

namespace Silica.Onnx.Tests.ShapeInference;

public sealed class ConvPoolShapesTests
{
    [Theory]
    [InlineData("1,3,224,224", "64,3,7,7", "NOTSET", 2, 3, 1, "[1,64,112,112]")]
    [InlineData("batch,3,32,32", "16,3,3,3", "NOTSET", 1, 1, 1, "[batch,16,32,32]")]
    [InlineData("1,3,32,32", "16,3,3,3", "NOTSET", 1, 0, 2, "[1,16,28,28]")]
    [InlineData("1,3,33,33", "16,3,3,3", "SAME_UPPER", 2, 0, 1, "[1,16,17,17]")]
    [InlineData("1,3,33,33", "16,3,3,3", "VALID", 2, 0, 1, "[1,16,16,16]")]
    [InlineData("1,3,h,w", "16,3,3,3", "NOTSET", 1, 1, 1, "[1,16,?,?]")]
    public void Conv_Attributes_ComputeSpatialSize(string x, string w, string autoPad, long stride, long pad, long dilation, string expected)
    {
        var type = Infer(b => b.Node("Conv",
            [b.Input("x", TensorDataType.Float, Dims(x)), b.Weight("w", [.. Dims(w).Select(d => d.KnownValue)], WeightFill.Zeros)],
            Attr.String("auto_pad", autoPad), Attr.Ints("strides", stride, stride), Attr.Ints("pads", pad, pad, pad, pad),
            Attr.Ints("dilations", dilation, dilation)));
        Assert.Equal(expected, type.Shape!.ToString());
    }

    [Fact]
    public void Conv_Grouped_OutputChannelsFromWeights()
    {
        var type = Infer(b => b.Node("Conv", [b.Input("x", TensorDataType.Float, 1, 32, 10, 10), b.Weight("w", [32, 1, 3, 3], WeightFill.Zeros)],
            Attr.Int("group", 32), Attr.Ints("pads", 1, 1, 1, 1)));
        Assert.Equal("[1,32,10,10]", type.Shape!.ToString());
    }

    [Theory]
    [InlineData("NOTSET", 2, 1, 0L, "[1,8,20,20]")]
    [InlineData("NOTSET", 2, 1, 1L, "[1,8,21,21]")]
    [InlineData("SAME_UPPER", 2, 0, 0L, "[1,8,20,20]")]
    public void ConvTranspose_Attributes_ComputeUpsampledSize(string autoPad, long stride, long pad, long outputPadding, string expected)
    {
        var type = Infer(b => b.Node("ConvTranspose", [b.Input("x", TensorDataType.Float, 1, 4, 10, 10), b.Weight("w", [4, 8, 4, 4], WeightFill.Zeros)],
            Attr.String("auto_pad", autoPad), Attr.Ints("strides", stride, stride), Attr.Ints("pads", pad, pad, pad, pad),
            Attr.Ints("output_padding", outputPadding, outputPadding)));
        Assert.Equal(expected, type.Shape!.ToString());
    }

    [Theory]
    [InlineData("MaxPool", 3, 2, 0, 0, "[n,8,15,15]")]
    [InlineData("MaxPool", 3, 2, 0, 1, "[n,8,16,16]")]
    [InlineData("AveragePool", 2, 2, 0, 0, "[n,8,16,16]")]
    [InlineData("AveragePool", 3, 1, 1, 0, "[n,8,32,32]")]
    public void Pool_KernelStridePadCeil_ComputeSize(string op, long kernel, long stride, long pad, long ceil, string expected) =>
        Assert.Equal(expected, Single(op, ["n,8,32,32"], 17, Attr.Ints("kernel_shape", kernel, kernel), Attr.Ints("strides", stride, stride),
            Attr.Ints("pads", pad, pad, pad, pad), Attr.Int("ceil_mode", ceil)));

    [Fact]
    public void MaxPool_CeilModeWindowStartingInPadding_IsDropped() =>
        // PyTorch/ORT rule: 5 wide, k=2, s=2, pad 1: ceil gives 4 windows but the last would start past the input.
        Assert.Equal("[1,1,3,3]", Single("MaxPool", ["1,1,5,5"], 17, Attr.Ints("kernel_shape", 2, 2), Attr.Ints("strides", 2, 2),
            Attr.Ints("pads", 1, 1, 1, 1), Attr.Int("ceil_mode", 1)));

    [Theory]
    [InlineData("GlobalAveragePool")]
    [InlineData("GlobalMaxPool")]
    public void GlobalPool_AnySpatialSize_ReducesToOnes(string op) => Assert.Equal("[batch,64,1,1]", Single(op, ["batch,64,h,w"]));

    [Fact]
    public void BatchNormalization_Inference_KeepsShape()
    {
        var type = Infer(b => b.Node("BatchNormalization", [b.Input("x", TensorDataType.Float, "n", 8, 4, 4),
            b.Weight("s", [8]), b.Weight("b", [8]), b.Weight("m", [8]), b.Weight("v", [8])]));
        Assert.Equal("float[n,8,4,4]", type.ToString());
    }
}
