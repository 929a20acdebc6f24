using Silica.Onnx.Graph;

namespace Silica.Optimization.Precision;

/// <summary>
/// Finds LayerNorm written out node by node (older exporters, Paddle):
/// <c>m = ReduceMean(x); d = Sub(x, m); v = ReduceMean(Pow(d, 2) | Mul(d, d)); y = Div(d, Sqrt(Add(v, eps)))</c>.
/// </summary>
internal static class DecomposedLayerNormFinder
{
    /// <summary>Every node that belongs to such a pattern (the affine Mul/Add after it are not included).</summary>
    public static HashSet<Node> Find(OnnxGraph graph)
    {
        var found = new HashSet<Node>();
        foreach (var mean in graph.Nodes)
        {
            if (mean.OpType != "ReduceMean" || mean.Input(0) is not { } x || mean.Output(0) is not { } m)
            {
                continue;
            }
            foreach (var sub in m.Consumers.Where(c => c.OpType == "Sub" && c.Input(0) == x && c.Input(1) == m))
            {
                if (sub.Output(0) is not { } d)
                {
                    continue;
                }
                foreach (var square in d.Consumers.Where(c => (c.OpType == "Pow" && c.Input(0) == d) || (c.OpType == "Mul" && c.Input(0) == d && c.Input(1) == d)))
                {
                    var variance = Single(square, "ReduceMean");
                    var add = Single(variance, "Add");
                    var sqrt = Single(add, "Sqrt");
                    var div = sqrt?.Output(0)?.Consumers.FirstOrDefault(c => c.OpType == "Div" && c.Input(0) == d && c.Input(1) == sqrt.Output(0));
                    if (variance is null || add is null || sqrt is null || div is null)
                    {
                        continue;
                    }
                    found.UnionWith([mean, sub, square, variance, add, sqrt, div]);
                }
            }
        }
        return found;
    }

    private static Node? Single(Node? node, string opType) =>
        node?.Output(0) is { Consumers: [var only] } && only.OpType == opType ? only : null;
}
