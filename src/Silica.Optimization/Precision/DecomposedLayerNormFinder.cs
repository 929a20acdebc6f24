using Silica.Onnx.Graph;
using Silica.Optimization.Passes;

namespace Silica.Optimization.Precision;

/// <summary>
/// Finds LayerNorm and RMSNorm written out node by node (older exporters, Paddle, Llama exports):
/// <c>d = Sub(x, ReduceMean(x))</c> for LayerNorm or <c>d = x</c> for RMSNorm, then
/// <c>y = d / Sqrt(ReduceMean(Pow(d, 2) | Mul(d, d)) + eps)</c>, the division also written as
/// <c>Mul(d, Reciprocal(Sqrt(…)))</c>.
/// </summary>
internal static class DecomposedLayerNormFinder
{
    /// <summary>Every node that belongs to such a pattern (the affine Mul/Add after it are not included).</summary>
    public static HashSet<Node> Find(OnnxGraph graph)
    {
        var found = new HashSet<Node>();
        foreach (var square in graph.Nodes)
        {
            if (square.Input(0) is not { } d || !IsSquare(square, d) || NormalizeTail(square, d) is not { } tail)
            {
                continue;
            }
            found.Add(square);
            found.UnionWith(tail);
            // LayerNorm centres first: d = Sub(x, ReduceMean(x)).
            if (d.Producer is { OpType: "Sub" } sub && sub.Input(1)?.Producer is { OpType: "ReduceMean" } mean && mean.Input(0) == sub.Input(0))
            {
                found.Add(sub);
                found.Add(mean);
            }
        }
        return found;
    }

    private static bool IsSquare(Node node, Value d) =>
        (node.OpType == "Pow" && GraphEdits.ConstantDoubles(node.Input(1)) is [2.0])
        || (node.OpType == "Mul" && node.Input(1) == d);

    /// <summary>ReduceMean → Add(eps) → Sqrt → Div(d, ·) or Reciprocal → Mul(d, ·): the nodes, or null when the chain differs.</summary>
    private static List<Node>? NormalizeTail(Node square, Value d)
    {
        var variance = Single(square, "ReduceMean");
        var add = Single(variance, "Add");
        var sqrt = Single(add, "Sqrt");
        if (variance is null || add is null || sqrt?.Output(0) is not { } root)
        {
            return null;
        }
        if (root.Consumers.FirstOrDefault(c => c.OpType == "Div" && c.Input(0) == d && c.Input(1) == root) is { } div)
        {
            return [variance, add, sqrt, div];
        }
        if (Single(sqrt, "Reciprocal") is { } reciprocal && reciprocal.Output(0) is { } inverse
            && inverse.Consumers.FirstOrDefault(c => c.OpType == "Mul" && (c.Input(0) == d || c.Input(1) == d)) is { } mul)
        {
            return [variance, add, sqrt, reciprocal, mul];
        }
        return null;
    }

    private static Node? Single(Node? node, string opType) =>
        node?.Output(0) is { Consumers: [var only] } && only.OpType == opType ? only : null;
}
