using Silica.Onnx.Graph;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>
/// MatMul(Q, Kᵀ) [→ Mul/Div by a scalar] [→ Add mask | Where(causal, ·, c)] → Softmax(-1) → MatMul(·, V) →
/// <see cref="AttentionStep"/>, reading Q/K/V through their head-splitting Transposes so none is materialised.
/// </summary>
internal static class AttentionLowering
{
    public static bool TryLower(PlanBuilder b, Node qk)
    {
        var q = qk.Input(0)!;
        var kt = qk.Input(1)!;
        var qShape = PlanBuilder.ShapeOf(q);
        var ktShape = PlanBuilder.ShapeOf(kt);
        if (qShape.Length != 4 || ktShape.Length != 4)
        {
            return false;
        }
        long batch = qShape[0], heads = qShape[1], seqQ = qShape[2], dim = qShape[3], seqK = ktShape[3];
        List<Node> nodes = [qk];
        var s = qk.Output(0)!;
        var scale = 1.0;
        Value? mask = null;
        var causal = false;
        if (b.SoleConsumer(s) is { OpType: "Mul" or "Div" } sc && sc.Input(0) == s && b.ScalarOf(sc.Input(1)) is { } c)
        {
            scale = sc.OpType == "Mul" ? c : 1 / c;
            nodes.Add(sc);
            s = sc.Output(0)!;
        }
        if (b.SoleConsumer(s) is { OpType: "Add" } add && (add.Input(0) == s ? add.Input(1) : add.Input(0)) is { } m
            && !b.IsConstant(m) && PlanBuilder.ShapeOf(m).Length <= 4)
        {
            mask = m;
            nodes.Add(add);
            s = add.Output(0)!;
        }
        else if (b.SoleConsumer(s) is { OpType: "Where" } where && where.Input(1) == s && IsCausal(b, where.Input(0)!, seqQ, seqK)
            && b.ScalarOf(where.Input(2)) is <= -1e4)
        {
            causal = true;
            nodes.Add(where);
            s = where.Output(0)!;
        }
        if (b.SoleConsumer(s) is not { OpType: "Softmax" } softmax || !IsLastAxis(b, softmax, 4)
            || b.SoleConsumer(softmax.Output(0)!) is not { OpType: "MatMul" } pv || pv.Input(0) != softmax.Output(0))
        {
            return false;
        }
        nodes.Add(softmax);
        nodes.Add(pv);
        var v = pv.Input(1)!;
        var o = pv.Output(0)!;
        if (PlanBuilder.ShapeOf(v) is not [var vb, var vh, var vs, var vd] || vb != batch || vh != heads || vs != seqK || vd != dim)
        {
            return false;
        }
        var (qId, qStrides) = Strided(b, q, nodes);
        var (kId, ktStrides) = Strided(b, kt, nodes);
        var (vId, vStrides) = Strided(b, v, nodes);
        long[] kStrides = [ktStrides[0], ktStrides[1], ktStrides[3], ktStrides[2]];
        var maskId = -1;
        long[] maskStrides = [0, 0, 0, 0];
        if (mask is not null)
        {
            maskId = b.Buf(mask);
            maskStrides = HostEvaluator.BroadcastStrides(PlanBuilder.ShapeOf(mask), [batch, heads, seqQ, seqK]);
        }
        var bshd = false;
        if (b.SoleConsumer(o) is { OpType: "Transpose" } t && t.Attributes.GetInts("perm") is [0, 2, 1, 3])
        {
            bshd = true;
            nodes.Add(t);
            o = t.Output(0)!;
        }
        foreach (var n in nodes)
        {
            b.MarkDone(n);
        }
        b.Emit(new AttentionStep(qk.Name, qId, kId, vId, maskId, b.OutputBuffer(o), batch, heads, seqQ, seqK, dim, (float)scale, causal,
            qStrides, kStrides, vStrides, maskStrides, bshd));
        b.Note($"fused attention {qk.Name} ({nodes.Count} nodes{(causal ? ", causal" : "")}{(bshd ? ", BSHD output" : "")})");
        return true;
    }

    /// <summary>The buffer and [d0..d3] element strides of a 4-D value, looking through a Transpose only this pattern reads.</summary>
    private static (int Id, long[] Strides) Strided(PlanBuilder b, Value v, List<Node> nodes)
    {
        if (v.Producer is { OpType: "Transpose" } t && b.IsDeferred(v) && t.Input(0) is { } src
            && !b.IsConstant(src) && PlanBuilder.ShapeOf(src).Length == 4)
        {
            var perm = t.Attributes.GetInts("perm") ?? [3, 2, 1, 0];
            var inner = HostEvaluator.ContiguousStrides(PlanBuilder.ShapeOf(src));
            b.DropDeferred(v);
            nodes.Add(t);
            return (b.Buf(src), [.. perm.Select(p => inner[p])]);
        }
        return (b.Buf(v), HostEvaluator.ContiguousStrides(PlanBuilder.ShapeOf(v)));
    }

    private static bool IsLastAxis(PlanBuilder b, Node softmax, int rank)
    {
        var axis = softmax.Attributes.GetInt("axis", b.Opset < 13 ? 1 : -1);
        return axis == -1 || axis == rank - 1;
    }

    /// <summary>A constant [.., SeqQ, SeqK] condition that is exactly the lower triangle (key ≤ query).</summary>
    private static bool IsCausal(PlanBuilder b, Value cond, long seqQ, long seqK)
    {
        if (!b.IsConstant(cond) || seqQ != seqK || b.ConstantCount(cond) != seqQ * seqK)
        {
            return false;
        }
        var t = b.ConstantOf(cond)!;
        for (long i = 0; i < seqQ; i++)
        {
            for (long j = 0; j < seqK; j++)
            {
                if ((t.GetDouble((i * seqK) + j) != 0) != (j <= i))
                {
                    return false;
                }
            }
        }
        return true;
    }
}
