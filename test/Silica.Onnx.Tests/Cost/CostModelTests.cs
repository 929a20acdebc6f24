using Silica.Onnx.Building;
using Silica.Onnx.Cost;
using Silica.Onnx.Model;
using Silica.Onnx.ShapeInference;

namespace Silica.Onnx.Tests.Cost;

/// <summary>Per-op formulas on hand-built graphs; expected numbers are computed here from the formulas.</summary>
public sealed class CostModelTests
{
    [Theory]
    [InlineData(new long[] { 4, 8 }, new long[] { 8, 16 }, 2L * 4 * 16 * 8)]
    [InlineData(new long[] { 3, 4, 8 }, new long[] { 8, 16 }, 2L * 3 * 4 * 16 * 8)]
    [InlineData(new long[] { 2, 3, 4, 8 }, new long[] { 2, 3, 8, 5 }, 2L * 6 * 4 * 5 * 8)]
    [InlineData(new long[] { 5, 1, 4, 8 }, new long[] { 6, 8, 2 }, 2L * 5 * 6 * 4 * 2 * 8)]
    public void AnalyzeNode_MatMul_TwoTimesOutputTimesK(long[] a, long[] b, long expected)
    {
        var g = new GraphBuilder("t", withWeights: true);
        var x = g.Input("a", TensorDataType.Float, [.. a.Select(d => (Dim)d)]);
        var y = g.Input("b", TensorDataType.Float, [.. b.Select(d => (Dim)d)]);
        var m = g.Output(g.Node("MatMul", [x, y]));
        var model = g.Build();
        ShapeInferencer.Infer(model);

        var cost = CostModel.AnalyzeNode(m.Producer!);

        Assert.True(cost.IsKnown);
        Assert.Equal(expected, cost.Flops);
        Assert.Equal(OpClass.Gemm, cost.OpClass);
        Assert.Equal((a.Aggregate(1L, (p, d) => p * d) + b.Aggregate(1L, (p, d) => p * d)) * 4, cost.BytesRead);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public void AnalyzeNode_Gemm_CountsBiasAndTranspose(bool withBias, bool transB)
    {
        const long m = 8, k = 32, n = 16;
        var g = new GraphBuilder("t");
        var x = g.Input("x", TensorDataType.Float, m, k);
        var w = g.Weight("w", transB ? [n, k] : [k, n]);
        var bias = withBias ? g.Weight("b", [n], WeightFill.Zeros) : null;
        var y = g.Output(g.Node("Gemm", withBias ? [x, w, bias] : [x, w], Attr.Int("transB", transB ? 1 : 0)));
        var model = g.Build();
        ShapeInferencer.Infer(model);

        var cost = CostModel.AnalyzeNode(y.Producer!);

        Assert.Equal(2.0 * m * n * k + (withBias ? m * n : 0), cost.Flops);
        Assert.Equal(k * n + (withBias ? n : 0), cost.ParameterCount);
        Assert.Equal((m * k + k * n + (withBias ? n : 0)) * 4, cost.BytesRead);
        Assert.Equal(m * n * 4, cost.BytesWritten);
    }

    [Theory]
    // batch, cin, h, w, cout, k, stride, pad, dilation, group
    [InlineData(1, 3, 224, 224, 64, 7, 2, 3, 1, 1)]
    [InlineData(2, 32, 56, 56, 32, 3, 1, 1, 1, 32)]
    [InlineData(1, 64, 28, 28, 128, 3, 2, 1, 1, 2)]
    [InlineData(1, 16, 32, 32, 16, 3, 1, 2, 2, 1)]
    public void AnalyzeNode_Conv_MatchesClosedForm(long n, long cin, long h, long w, long cout, long k, long stride, long pad, long dilation, long group)
    {
        var g = new GraphBuilder("t");
        var x = g.Input("x", TensorDataType.Float, n, cin, h, w);
        var weight = g.Weight("w", [cout, cin / group, k, k]);
        var bias = g.Weight("b", [cout], WeightFill.Zeros);
        var y = g.Output(g.Node("Conv", [x, weight, bias], Attr.Ints("kernel_shape", k, k), Attr.Ints("strides", stride, stride),
            Attr.Ints("pads", pad, pad, pad, pad), Attr.Ints("dilations", dilation, dilation), Attr.Int("group", group)));
        var model = g.Build();
        ShapeInferencer.Infer(model);
        var ho = (h + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
        var wo = (w + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
        var outputs = n * cout * ho * wo;

        var cost = CostModel.AnalyzeNode(y.Producer!);

        Assert.Equal(2.0 * outputs * (cin / group) * k * k + outputs, cost.Flops);
        Assert.Equal(cout * (cin / group) * k * k + cout, cost.ParameterCount);
        Assert.Equal(outputs * 4, cost.BytesWritten);
    }

    [Fact]
    public void AnalyzeNode_ConvTranspose_ScattersEachInput()
    {
        const long n = 1, cin = 8, h = 10, w = 10, cout = 4, k = 3;
        var g = new GraphBuilder("t");
        var x = g.Input("x", TensorDataType.Float, n, cin, h, w);
        var weight = g.Weight("w", [cin, cout, k, k]);
        var y = g.Output(g.Node("ConvTranspose", [x, weight], Attr.Ints("kernel_shape", k, k), Attr.Ints("strides", 2, 2)));
        var model = g.Build();
        ShapeInferencer.Infer(model);

        var cost = CostModel.AnalyzeNode(y.Producer!);

        Assert.Equal(2.0 * n * cin * h * w * cout * k * k, cost.Flops);
    }

    [Theory]
    [InlineData("Softmax", 5.0)]
    [InlineData("Relu", 1.0)]
    [InlineData("Sigmoid", 1.0)]
    [InlineData("Erf", 1.0)]
    public void AnalyzeNode_PerElementOps_UseDocumentedConstants(string op, double perElement)
    {
        var g = new GraphBuilder("t");
        var x = g.Input("x", TensorDataType.Float, 4, 128);
        var y = g.Output(g.Node(op, [x]));
        var model = g.Build();
        ShapeInferencer.Infer(model);

        var cost = CostModel.AnalyzeNode(y.Producer!);

        Assert.Equal(perElement * 4 * 128, cost.Flops);
        Assert.Equal(4 * 128 * 4, cost.BytesRead);
    }

    [Fact]
    public void AnalyzeNode_MaxPool_KernelOpsPerOutput()
    {
        var g = new GraphBuilder("t");
        var x = g.Input("x", TensorDataType.Float, 1, 64, 112, 112);
        var y = g.Output(g.Node("MaxPool", [x], Attr.Ints("kernel_shape", 3, 3), Attr.Ints("strides", 2, 2), Attr.Ints("pads", 1, 1, 1, 1)));
        var model = g.Build();
        ShapeInferencer.Infer(model);

        var cost = CostModel.AnalyzeNode(y.Producer!);

        Assert.Equal(64.0 * 56 * 56 * 9, cost.Flops);
    }

    [Fact]
    public void AnalyzeNode_GatherOnLargeTable_ReadsOnlyGatheredRows()
    {
        const long vocab = 30522, hidden = 768, tokens = 16;
        var g = new GraphBuilder("t");
        var ids = g.Input("ids", TensorDataType.Int64, 1, tokens);
        var table = g.Weight("emb", [vocab, hidden], WeightFill.Small);
        var y = g.Output(g.Node("Gather", [table, ids]));
        var model = g.Build();
        ShapeInferencer.Infer(model);

        var cost = CostModel.AnalyzeNode(y.Producer!);

        Assert.Equal(tokens * hidden * 4 + tokens * 8, cost.BytesRead);
        Assert.Equal(vocab * hidden, cost.ParameterCount);
        Assert.Equal(0, cost.Flops);
    }

    [Fact]
    public void Analyze_TiedInitializer_CountsOnce()
    {
        var g = new GraphBuilder("t");
        var x = g.Input("x", TensorDataType.Float, 2, 64);
        var w = g.Weight("shared", [64, 64]);
        var h = g.Node("MatMul", [x, w]);
        g.Output(g.Node("MatMul", [h, w]));
        var model = g.Build();
        ShapeInferencer.Infer(model);

        var cost = CostModel.Analyze(model);

        Assert.Equal(64 * 64, cost.ParameterCount);
        Assert.Equal(2 * 64 * 64, cost.Nodes.Sum(n => n.ParameterCount));
    }

    [Fact]
    public void Analyze_SymbolicShapes_NodesUnknownNotThrowing()
    {
        var g = new GraphBuilder("t");
        var x = g.Input("x", TensorDataType.Float, "batch", 64);
        var w = g.Weight("w", [64, 32]);
        g.Output(g.Node("Relu", [g.Node("MatMul", [x, w])]));
        var model = g.Build();
        ShapeInferencer.Infer(model);

        var cost = CostModel.Analyze(model);

        Assert.Equal(2, cost.UnknownNodes);
        Assert.All(cost.Nodes, n => Assert.False(n.IsKnown));
        Assert.Equal(64 * 32, cost.ParameterCount);
        Assert.Equal(0, cost.Flops);
    }

    [Fact]
    public void AnalyzeNode_Reshape_MovesNothing()
    {
        var g = new GraphBuilder("t");
        var x = g.Input("x", TensorDataType.Float, 2, 64);
        var shape = g.ConstantInt64("shape", 128);
        var y = g.Output(g.Node("Reshape", [x, shape]));
        var model = g.Build();
        ShapeInferencer.Infer(model);

        var cost = CostModel.AnalyzeNode(y.Producer!);

        Assert.Equal(OpClass.ShapeOnly, cost.OpClass);
        Assert.Equal(0, cost.BytesRead + cost.BytesWritten);
        Assert.Equal(0, cost.ParameterCount);
    }
}
