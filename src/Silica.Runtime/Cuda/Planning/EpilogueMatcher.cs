using Silica.Onnx.Graph;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>Finds what a GEMM or convolution epilogue can absorb after its output: bias, activation, residual.</summary>
internal static class EpilogueMatcher
{
    public sealed record Match(Value Output, IReadOnlyList<Node> Nodes);

    public sealed record ActivationMatch(Activation Activation, float ClipMin, float ClipMax, Value Output, IReadOnlyList<Node> Nodes);

    /// <summary>The single-use <c>Add(y, c)</c> whose other operand satisfies <paramref name="accept"/>.</summary>
    public static (Node Add, Value Other)? SoleAdd(PlanBuilder b, Value y, Func<Value, bool> accept)
    {
        if (b.SoleConsumer(y) is not { OpType: "Add" } add || add.Input(0) is null || add.Input(1) is null)
        {
            return null;
        }
        var other = add.Input(0) == y ? add.Input(1)! : add.Input(0)!;
        if (other == y || !accept(other))
        {
            return null;
        }
        return (add, other);
    }

    /// <summary>Relu, Clip with constant bounds, or the Erf form of GELU consuming <paramref name="y"/>.</summary>
    public static ActivationMatch? Activation(PlanBuilder b, Value y)
    {
        if (b.SoleConsumer(y) is { } c)
        {
            if (c.OpType == "Relu")
            {
                return new(Planning.Activation.Relu, 0, 0, c.Output(0)!, [c]);
            }
            if (c.OpType == "Clip" && c.Input(0) == y)
            {
                try
                {
                    var (min, max) = b.ClipBounds(c);
                    return new(Planning.Activation.Clip, (float)min, (float)max, c.Output(0)!, [c]);
                }
                catch (PlanException)
                {
                    return null;
                }
            }
            return null;
        }
        return GeluErf(b, y);
    }

    /// <summary>x·½·(1+erf(x/√2)) in the operand orders exporters produce; x has exactly these two readers.</summary>
    private static ActivationMatch? GeluErf(PlanBuilder b, Value x)
    {
        if (x.IsGraphOutput || x.Consumers.Count != 2 || x.Consumers.Any(b.IsDone))
        {
            return null;
        }
        Node? scaleNode = null, other = null;
        foreach (var c in x.Consumers)
        {
            var k = Other(c, x) is { } o ? b.ScalarOf(o) : null;
            if ((c.OpType == "Div" && c.Input(0) == x && Near(k, Math.Sqrt(2))) || (c.OpType == "Mul" && Near(k, 1 / Math.Sqrt(2))))
            {
                scaleNode = c;
            }
            else
            {
                other = c;
            }
        }
        if (scaleNode is null || other is not { OpType: "Mul" }
            || b.SoleConsumer(scaleNode.Output(0)!) is not { OpType: "Erf" } erf
            || b.SoleConsumer(erf.Output(0)!) is not { OpType: "Add" } plus
            || !Near(Other(plus, erf.Output(0)!) is { } one ? b.ScalarOf(one) : null, 1))
        {
            return null;
        }
        var e1 = plus.Output(0)!;
        var m = other.Output(0)!;
        List<Node> nodes = [scaleNode, erf, plus, other];
        // x·e1 then ·½ | x·½ then ·e1 | e1·½ then ·x
        if (Other(other, x) == e1 && b.SoleConsumer(e1) == other && b.SoleConsumer(m) is { OpType: "Mul" } half && Near(ScalarOther(b, half, m), 0.5))
        {
            nodes.Add(half);
            return new(Planning.Activation.GeluErf, 0, 0, half.Output(0)!, nodes);
        }
        if (Near(ScalarOther(b, other, x), 0.5) && b.SoleConsumer(m) is { OpType: "Mul" } last && Other(last, m) == e1 && b.SoleConsumer(e1) == last)
        {
            nodes.Add(last);
            return new(Planning.Activation.GeluErf, 0, 0, last.Output(0)!, nodes);
        }
        if (b.SoleConsumer(e1) is { OpType: "Mul" } h && Near(ScalarOther(b, h, e1), 0.5) && Other(other, x) == h.Output(0))
        {
            nodes.Insert(3, h);
            return new(Planning.Activation.GeluErf, 0, 0, m, nodes);
        }
        return null;
    }

    private static Value? Other(Node n, Value v) =>
        n.Inputs.Count == 2 && n.Input(0) == v ? n.Input(1) : n.Inputs.Count == 2 && n.Input(1) == v ? n.Input(0) : null;

    private static double? ScalarOther(PlanBuilder b, Node n, Value v) => Other(n, v) is { } o ? b.ScalarOf(o) : null;

    private static bool Near(double? value, double target) => value is { } v && Math.Abs(v - target) <= 1e-4 * Math.Abs(target);
}
