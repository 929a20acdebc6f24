using Silica.Onnx.Building;
using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Planning;
using static Silica.Runtime.Tests.Cuda.Reference.OrtReference;

namespace Silica.Runtime.Tests.Cuda.Reference;

public sealed class NormalizationTests
{
    private const TensorDataType F = TensorDataType.Float;

    [Fact]
    public void LayerNorm_LastAxis_MatchesOnnxLayerNormalization()
    {
        var x = Values(2 * 3 * 8, 1).Select(v => (v * 4) + 1).ToArray();
        var scale = Values(8, 2);
        var bias = Values(8, 3);
        var expected = RunNode("LayerNormalization", [(x, [2, 3, 8])], [(scale, [8]), (bias, [8])], [2, 3, 8], Attr.Float("epsilon", 1e-3f));

        var p = new TestPlan();
        var xi = p.Input(F, 2, 3, 8);
        var y = p.Output(F, 2, 3, 8);
        p.Step(new LayerNormStep("ln", xi, p.Weight(F, [8], scale), p.Weight(F, [8], bias), y, 6, 8, 1e-3f));

        AssertClose(expected, p.Run(x));
    }

    [Fact]
    public void Softmax_MiddleAxis_MatchesOnnxSoftmax()
    {
        var x = Values(2 * 5 * 3, 4).Select(v => v * 10).ToArray();
        var expected = RunNode("Softmax", [(x, [2, 5, 3])], [], [2, 5, 3], Attr.Int("axis", 1));

        var p = new TestPlan();
        var xi = p.Input(F, 2, 5, 3);
        var y = p.Output(F, 2, 5, 3);
        p.Step(new SoftmaxStep("softmax", xi, y, 2, 5, 3));

        AssertClose(expected, p.Run(x));
    }

    [Theory]
    [InlineData("ReduceSum", "Sum")]
    [InlineData("ReduceMean", "Mean")]
    [InlineData("ReduceMax", "Max")]
    [InlineData("ReduceMin", "Min")]
    public void Reduce_MiddleAxes_MatchesOnnxReduce(string op, string kind)
    {
        // [2, 3, 4, 5] reduced over axes 1 and 2 → Outer 2, Reduced 12, Inner 5.
        var x = Values(120, 5);
        var g = new GraphBuilder("reduce", opset: 18);
        var xv = g.Input("x", F, 2, 3, 4, 5);
        g.Output(g.Node(op, [xv, g.ConstantInt64("axes", 1, 2)], Attr.Int("keepdims", 1)), "y", new TensorType(F, new TensorShape(2, 1, 1, 5)));
        var expected = Run(g.Build(), [(x, [2, 3, 4, 5])], [2, 1, 1, 5])[0];

        var p = new TestPlan();
        var xi = p.Input(F, 2, 3, 4, 5);
        var y = p.Output(F, 2, 1, 1, 5);
        p.Step(new ReduceStep("reduce", Enum.Parse<ReduceKind>(kind), xi, y, 2, 12, 5));

        AssertClose(expected, p.Run(x));
    }
}
