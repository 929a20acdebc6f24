using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Planning;
using static Silica.Runtime.Tests.Cuda.Reference.OrtReference;

namespace Silica.Runtime.Tests.Cuda.Reference;

public sealed class ConvTests
{
    private const TensorDataType F = TensorDataType.Float;

    [Theory]
    // n, c, h, w, m, k, stride, dilation, pads (t,l,b,r), group
    [InlineData(1, 3, 7, 7, 4, 3, 1, 1, 1, 1, 1, 1, 1)]
    [InlineData(2, 4, 9, 8, 6, 3, 2, 1, 1, 0, 2, 1, 1)]
    [InlineData(1, 4, 10, 10, 4, 3, 1, 2, 2, 2, 2, 2, 1)]
    [InlineData(1, 6, 8, 8, 6, 3, 2, 1, 1, 1, 1, 1, 6)]
    [InlineData(2, 8, 6, 5, 4, 1, 1, 1, 0, 0, 0, 0, 2)]
    public void Conv_Geometry_MatchesOnnxConv(int n, int c, int h, int w, int m, int k, int stride, int dilation,
        int padTop, int padLeft, int padBottom, int padRight, int group)
    {
        var oh = ((h + padTop + padBottom - (dilation * (k - 1)) - 1) / stride) + 1;
        var ow = ((w + padLeft + padRight - (dilation * (k - 1)) - 1) / stride) + 1;
        var x = Values(n * c * h * w, 1);
        var wt = Values(m * (c / group) * k * k, 2);
        var bias = Values(m, 3);
        long[] wShape = [m, c / group, k, k];
        var expected = RunNode("Conv", [(x, [n, c, h, w])], [(wt, wShape), (bias, [m])], [n, m, oh, ow],
            Attr.Ints("strides", stride, stride), Attr.Ints("dilations", dilation, dilation),
            Attr.Ints("pads", padTop, padLeft, padBottom, padRight), Attr.Int("group", group));

        var p = new TestPlan();
        var xi = p.Input(F, n, c, h, w);
        var y = p.Output(F, n, m, oh, ow);
        p.Step(new ConvStep("conv", xi, p.Weight(F, wShape, wt), y, p.Weight(F, [m], bias), -1,
            [padTop, padLeft, padBottom, padRight], [stride, stride], [dilation, dilation], group, Activation.None));

        AssertClose(expected, p.Run(x));
    }

    [Fact]
    public void Conv_BiasResidualRelu_MatchesConvAddRelu()
    {
        var x = Values(1 * 4 * 6 * 6, 4);
        var wt = Values(5 * 4 * 3 * 3, 5);
        var bias = Values(5, 6);
        var r = Values(5 * 6 * 6, 7);
        var g = new GraphBuilder("conv_add_relu");
        var xv = g.Input("x", F, 1, 4, 6, 6);
        var rv = g.Input("r", F, 1, 5, 6, 6);
        var conv = g.Node("Conv", [xv, g.ConstantFloat("w", [5, 4, 3, 3], wt), g.ConstantFloat("b", [5], bias)], Attr.Ints("pads", 1, 1, 1, 1));
        g.Output(g.Node("Relu", [g.Node("Add", [conv, rv])]), "y", new TensorType(F, new TensorShape(1, 5, 6, 6)));
        var expected = Run(g.Build(), [(x, [1, 4, 6, 6]), (r, [1, 5, 6, 6])], [1, 5, 6, 6])[0];

        var p = new TestPlan();
        var xi = p.Input(F, 1, 4, 6, 6);
        var ri = p.Input(F, 1, 5, 6, 6);
        var y = p.Output(F, 1, 5, 6, 6);
        p.Step(new ConvStep("conv", xi, p.Weight(F, [5, 4, 3, 3], wt), y, p.Weight(F, [5], bias), ri, [1, 1, 1, 1], [1, 1], [1, 1], 1, Activation.Relu));

        var actual = p.Run(x, r);
        AssertClose(expected, actual);
        Assert.Contains(actual, v => v == 0);
    }

    [Theory]
    // c, m, group, stride, pad, dilation, outputPadding
    [InlineData(3, 2, 1, 2, 1, 1, 1)]
    [InlineData(4, 4, 2, 2, 0, 1, 0)]
    [InlineData(2, 3, 1, 1, 1, 2, 0)]
    public void ConvTranspose_Geometry_MatchesOnnxConvTranspose(int c, int m, int group, int stride, int pad, int dilation, int outputPadding)
    {
        const int N = 1, H = 5, W = 4, K = 3;
        var oh = (stride * (H - 1)) + outputPadding + (((K - 1) * dilation) + 1) - (2 * pad);
        var ow = (stride * (W - 1)) + outputPadding + (((K - 1) * dilation) + 1) - (2 * pad);
        var x = Values(N * c * H * W, 8);
        var wt = Values(c * (m / group) * K * K, 9);
        var bias = Values(m, 10);
        long[] wShape = [c, m / group, K, K];
        var expected = RunNode("ConvTranspose", [(x, [N, c, H, W])], [(wt, wShape), (bias, [m])], [N, m, oh, ow],
            Attr.Ints("strides", stride, stride), Attr.Ints("pads", pad, pad, pad, pad), Attr.Ints("dilations", dilation, dilation),
            Attr.Ints("output_padding", outputPadding, outputPadding), Attr.Int("group", group));

        var p = new TestPlan();
        var xi = p.Input(F, N, c, H, W);
        var y = p.Output(F, N, m, oh, ow);
        p.Step(new ConvTransposeStep("deconv", xi, p.Weight(F, wShape, wt), y, p.Weight(F, [m], bias), [pad, pad, pad, pad], [stride, stride], [dilation, dilation], group));

        AssertClose(expected, p.Run(x));
    }

    [Theory]
    [InlineData("MaxPool", false)]
    [InlineData("AveragePool", false)]
    [InlineData("AveragePool", true)]
    public void Pool_PaddedStrided_MatchesOnnxPool(string op, bool countIncludePad)
    {
        // 3x3 kernel, stride 2, pads (1,1,0,1) on 8x9: exercises partial windows on the padded edges.
        var x = Values(2 * 3 * 8 * 9, 11);
        long[] yShape = [2, 3, 4, 5];
        var attrs = new List<Silica.Onnx.Protobuf.AttributeProto> { Attr.Ints("kernel_shape", 3, 3), Attr.Ints("strides", 2, 2), Attr.Ints("pads", 1, 1, 0, 1) };
        if (op == "AveragePool")
        {
            attrs.Add(Attr.Int("count_include_pad", countIncludePad ? 1 : 0));
        }
        var expected = RunNode(op, [(x, [2, 3, 8, 9])], [], yShape, [.. attrs]);

        var p = new TestPlan();
        var xi = p.Input(F, 2, 3, 8, 9);
        var y = p.Output(F, yShape);
        p.Step(new PoolStep("pool", op == "MaxPool" ? PoolKind.Max : PoolKind.Average, xi, y, [3, 3], [1, 1, 0, 1], [2, 2], countIncludePad));

        AssertClose(expected, p.Run(x));
    }

    [Fact]
    public void GlobalAveragePool_MatchesOnnx()
    {
        var x = Values(2 * 3 * 5 * 6, 12);
        var expected = RunNode("GlobalAveragePool", [(x, [2, 3, 5, 6])], [], [2, 3, 1, 1]);

        var p = new TestPlan();
        var xi = p.Input(F, 2, 3, 5, 6);
        var y = p.Output(F, 2, 3, 1, 1);
        p.Step(new PoolStep("gap", PoolKind.GlobalAverage, xi, y, [5, 6], [0, 0, 0, 0], [1, 1], false));

        AssertClose(expected, p.Run(x));
    }
}
