using Silica.Onnx.Building;
using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Planning;
using static Silica.Runtime.Tests.Cuda.Reference.OrtReference;

namespace Silica.Runtime.Tests.Cuda.Reference;

public sealed class AttentionTests
{
    private const TensorDataType F = TensorDataType.Float;
    private const int B = 2, H = 3, S = 4, D = 5;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Attention_MaskAndLayouts_MatchesMatMulSoftmaxMatMul(bool outputBshd)
    {
        // Q is read from a [B, S, H, D] tensor through strides; K and V are [B, H, S, D]; mask [B, 1, 1, S] (padding mask).
        var q = Values(B * S * H * D, 1);
        var k = Values(B * H * S * D, 2);
        var v = Values(B * H * S * D, 3);
        var mask = new float[B * S];
        mask[S - 1] = -10000; // batch 0 ignores its last key
        const float Scale = 0.4f;

        var g = new GraphBuilder("attention");
        var qv = g.Input("q", F, B, S, H, D);
        var kv = g.Input("k", F, B, H, S, D);
        var vv = g.Input("v", F, B, H, S, D);
        var mv = g.Input("m", F, B, 1, 1, S);
        var qh = g.Node("Transpose", [qv], Attr.Ints("perm", 0, 2, 1, 3));
        var scores = g.Node("Add", [g.Node("Mul", [g.Node("MatMul", [qh, g.Node("Transpose", [kv], Attr.Ints("perm", 0, 1, 3, 2))]), g.ScalarFloat("s", Scale)]), mv]);
        var o = g.Node("MatMul", [g.Node("Softmax", [scores], Attr.Int("axis", -1)), vv]);
        long[] yShape = outputBshd ? [B, S, H, D] : [B, H, S, D];
        g.Output(outputBshd ? g.Node("Transpose", [o], Attr.Ints("perm", 0, 2, 1, 3)) : o, "y", new TensorType(F, new TensorShape([.. yShape.Select(d => (Dim)d)])));
        var expected = Run(g.Build(), [(q, [B, S, H, D]), (k, [B, H, S, D]), (v, [B, H, S, D]), (mask, [B, 1, 1, S])], yShape)[0];

        var p = new TestPlan();
        var qi = p.Input(F, B, S, H, D);
        var ki = p.Input(F, B, H, S, D);
        var vi = p.Input(F, B, H, S, D);
        var mi = p.Input(F, B, 1, 1, S);
        var y = p.Output(F, yShape);
        long[] bhsd = [H * S * D, S * D, D, 1];
        p.Step(new AttentionStep("attn", qi, ki, vi, mi, y, B, H, S, S, D, Scale, false,
            [S * H * D, D, H * D, 1], bhsd, bhsd, [S, 0, 0, 1], outputBshd));

        AssertClose(expected, p.Run(q, k, v, mask));
    }

    [Fact]
    public void Attention_Causal_EqualsExplicitLowerTriangularMask()
    {
        var q = Values(B * H * S * D, 4);
        var k = Values(B * H * S * D, 5);
        var v = Values(B * H * S * D, 6);
        var causalMask = new float[S * S];
        for (var i = 0; i < S; i++)
        {
            for (var j = i + 1; j < S; j++)
            {
                causalMask[(i * S) + j] = float.NegativeInfinity;
            }
        }
        long[] bhsd = [H * S * D, S * D, D, 1];

        float[] RunWith(bool causal)
        {
            var p = new TestPlan();
            var qi = p.Input(F, B, H, S, D);
            var ki = p.Input(F, B, H, S, D);
            var vi = p.Input(F, B, H, S, D);
            var mi = causal ? -1 : p.Weight(F, [S, S], causalMask);
            var y = p.Output(F, B, H, S, D);
            p.Step(new AttentionStep("attn", qi, ki, vi, mi, y, B, H, S, S, D, 0.5f, causal, bhsd, bhsd, bhsd, [0, 0, S, 1], false));
            return p.Run(q, k, v);
        }

        var causal = RunWith(true);
        AssertClose(RunWith(false), causal);
        // The first query sees only the first key: its output is that key's value row.
        Assert.Equal(v.AsSpan(0, D).ToArray(), causal.AsSpan(0, D).ToArray());
    }
}
