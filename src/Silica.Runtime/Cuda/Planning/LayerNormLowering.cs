using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>LayerNormalization, and its decomposed ReduceMean→Sub→Pow→ReduceMean→Add→Sqrt→Div→Mul→Add form, → <see cref="LayerNormStep"/>.</summary>
internal static class LayerNormLowering
{
    public static void Lower(PlanBuilder b, Node node)
    {
        var x = node.Input(0)!;
        var shape = PlanBuilder.ShapeOf(x);
        var axis = (int)node.Attributes.GetInt("axis", -1);
        axis = axis < 0 ? axis + shape.Length : axis;
        if (node.Outputs.Skip(1).Any(o => o is not null && o.Consumers.Count > 0))
        {
            throw PlanException.For(node, "mean/inv-std outputs are not supported");
        }
        var rows = shape[..axis].Aggregate(1L, (p, d) => p * d);
        var cols = shape[axis..].Aggregate(1L, (p, d) => p * d);
        var xId = b.Buf(x);
        var scale = b.Buf(node.Input(1)!);
        var bias = node.Input(2) is { } bv ? b.Buf(bv) : -1;
        KeepFp32(b, scale, bias);
        b.Emit(new LayerNormStep(node.Name, xId, scale, bias, b.OutputBuffer(node.Output(0)!), rows, cols, node.Attributes.GetFloat("epsilon", 1e-5f)));
    }

    /// <summary>The LayerNorm kernels read scale and bias as float whatever the activation type.</summary>
    private static void KeepFp32(PlanBuilder b, int scale, int bias)
    {
        b.Fp32Weights.Add(scale);
        if (bias >= 0)
        {
            b.Fp32Weights.Add(bias);
        }
    }

    /// <summary>Matches the decomposed pattern starting at its first ReduceMean; false (nothing changed) when it does not fit.</summary>
    public static bool TryLowerDecomposed(PlanBuilder b, Node mean1)
    {
        var x = mean1.Input(0)!;
        var shape = PlanBuilder.ShapeOf(x);
        var last = shape.Length - 1;
        if (mean1.Attributes.GetInt("keepdims", 1) == 0 || !ReduceLowering.Axes(b, mean1, shape.Length).SequenceEqual([last]))
        {
            return false;
        }
        var m = mean1.Output(0)!;
        if (b.SoleConsumer(m) is not { OpType: "Sub" } sub || sub.Input(0) != x || sub.Input(1) != m)
        {
            return false;
        }
        var d = sub.Output(0)!;
        if (d.IsGraphOutput || d.Consumers.Count != 2)
        {
            return false;
        }
        var pow = d.Consumers.FirstOrDefault(c => c.OpType == "Pow" && c.Input(0) == d && b.ScalarOf(c.Input(1)) == 2);
        var div = d.Consumers.FirstOrDefault(c => c.OpType == "Div" && c.Input(0) == d);
        if (pow is null || div is null
            || b.SoleConsumer(pow.Output(0)!) is not { OpType: "ReduceMean" } mean2
            || mean2.Attributes.GetInt("keepdims", 1) == 0 || !ReduceLowering.Axes(b, mean2, shape.Length).SequenceEqual([last])
            || b.SoleConsumer(mean2.Output(0)!) is not { OpType: "Add" } addEps
            || (addEps.Input(0) == mean2.Output(0) ? b.ScalarOf(addEps.Input(1)) : b.ScalarOf(addEps.Input(0))) is not { } eps
            || b.SoleConsumer(addEps.Output(0)!) is not { OpType: "Sqrt" } sqrt
            || b.SoleConsumer(sqrt.Output(0)!) != div || div.Input(1) != sqrt.Output(0))
        {
            return false;
        }
        List<Node> nodes = [mean1, sub, pow, mean2, addEps, sqrt, div];
        var y = div.Output(0)!;
        var cols = shape[last];
        int scale, bias;
        if (b.SoleConsumer(y) is { OpType: "Mul" } mul
            && OtherConstant(b, mul, y, cols) is { } gamma)
        {
            nodes.Add(mul);
            y = mul.Output(0)!;
            scale = b.Buf(gamma);
        }
        else
        {
            scale = b.WeightBuffer($"{mean1.Name}.ones", HostTensor.OfFloats(TensorDataType.Float, [cols], [.. Enumerable.Repeat(1.0, (int)cols)]));
        }
        if (b.SoleConsumer(y) is { OpType: "Add" } add && OtherConstant(b, add, y, cols) is { } beta)
        {
            nodes.Add(add);
            y = add.Output(0)!;
            bias = b.Buf(beta);
        }
        else
        {
            bias = -1;
        }
        foreach (var n in nodes)
        {
            b.MarkDone(n);
        }
        KeepFp32(b, scale, bias);
        var xId = b.Buf(x);
        b.Emit(new LayerNormStep(mean1.Name, xId, scale, bias, b.OutputBuffer(y), shape[..last].Aggregate(1L, (p, q) => p * q), cols, (float)eps));
        b.Note($"recognised decomposed LayerNorm ({nodes.Count} nodes) at {mean1.Name}");
        return true;
    }

    private static Value? OtherConstant(PlanBuilder b, Node n, Value v, long cols)
    {
        var other = n.Input(0) == v ? n.Input(1) : n.Input(0);
        return other is not null && b.IsConstant(other) && b.ConstantCount(other) == cols && PlanBuilder.ShapeOf(other)[^1] == cols
            && PlanBuilder.TypeOf(other) == TensorDataType.Float ? other : null;
    }
}
