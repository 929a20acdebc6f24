using System.Globalization;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.ShapeInference;

namespace Silica.Optimization.Passes;

/// <summary>
/// <c>fold-constants</c>: Constant nodes become initializers; Shape and Size of tensors whose shape is static
/// become constants; then every node whose inputs are all constants (Gather, Concat, Unsqueeze, Reshape, Cast,
/// arithmetic, Transpose, Slice, Range, ConstantOfShape, Equal, Where, …) is evaluated once with ONNX Runtime
/// and replaced by the resulting initializer.
/// </summary>
/// <remarks>
/// Evaluating with ONNX Runtime gives the runtime's own results bit for bit, for every operator it has.
/// Random operators, subgraph operators and non-default domains are never folded. A fold that would make the
/// model bigger by more than <see cref="MaxGrowthBytes"/> (a ConstantOfShape or Expand that materializes a big
/// tensor, a Transpose of a weight that other nodes still read) is skipped and reported.
/// </remarks>
public sealed class FoldConstantsPass : IGraphPass
{
    /// <summary>The most a single folded constant may add to the model's size (1 MiB).</summary>
    public const long MaxGrowthBytes = 1 << 20;

    private static readonly HashSet<string> NeverFold = new(StringComparer.Ordinal)
    {
        "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Multinomial", "Bernoulli",
        "SplitToSequence", "ConcatFromSequence", "Optional", "OptionalGetElement", "OptionalHasElement",
    };

    /// <inheritdoc/>
    public string Name => "fold-constants";

    /// <inheritdoc/>
    public PassReport Apply(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var details = new List<string>();
        var changes = 0;

        var constants = ConstantNodes.ToInitializers(graph);
        if (constants > 0)
        {
            details.Add($"turned {constants} Constant node(s) into initializers");
            changes += constants;
        }
        ShapeInferencer.Infer(model);
        var shapes = ShapeConstants.Fold(graph, partial: false);
        if (shapes.Count > 0)
        {
            details.Add("replaced " + string.Join(", ", shapes.Select(p => $"{p.Key} x{p.Value}")) + " of static shapes by constants");
            changes += shapes.Values.Sum();
        }
        changes += FoldNodes(model, details);
        return new PassReport(Name, changes, details);
    }

    private static int FoldNodes(OnnxModel model, List<string> details)
    {
        var graph = model.Graph;
        var captured = GraphEdits.CapturedBySubgraphs(graph);
        var foldable = new List<Node>();
        var constantValues = new HashSet<Value>();
        foreach (var node in graph.TopologicalOrder())
        {
            if (!IsFoldable(node, constantValues))
            {
                continue;
            }
            foldable.Add(node);
            constantValues.UnionWith(node.Outputs.OfType<Value>());
        }
        if (foldable.Count == 0)
        {
            return 0;
        }
        var results = Evaluate(model, foldable);
        // Keep only nodes whose results are all known, then drop folds that would grow the model.
        var folded = new HashSet<Node>(foldable.Where(n => n.Outputs.OfType<Value>().All(o => results.ContainsKey(o.Name))));
        var skippedForSize = new List<string>();
        bool changed;
        do
        {
            changed = false;
            foreach (var node in folded.ToArray())
            {
                if (Frontier(node, folded, captured).FirstOrDefault(v => Grows(v, results[v.Name], node, folded)) is { } big)
                {
                    folded.Remove(node);
                    skippedForSize.Add($"{node.Name} ({node.OpType}, {TensorData.ByteSize(results[big.Name]):N0} bytes)");
                    changed = true;
                }
            }
        }
        while (changed);

        var materialized = 0;
        var byOp = new Dictionary<string, int>(StringComparer.Ordinal);
        var order = foldable.Where(folded.Contains).ToList();
        var frontier = order.SelectMany(n => Frontier(n, folded, captured)).Distinct().ToList();
        var inputs = order.SelectMany(n => n.Inputs).OfType<Value>().Distinct().ToList();
        foreach (var node in order)
        {
            graph.RemoveNode(node);
            byOp[node.OpType] = byOp.GetValueOrDefault(node.OpType) + 1;
        }
        foreach (var v in frontier)
        {
            var tensor = results[v.Name];
            tensor.Name = v.Name;
            graph.AddInitializer(tensor);
            materialized++;
        }
        foreach (var v in inputs)
        {
            GraphEdits.RemoveIfUnused(graph, v);
        }
        if (order.Count > 0)
        {
            details.Add($"folded {order.Count} node(s) into {materialized} constant(s): "
                + string.Join(", ", byOp.OrderByDescending(p => p.Value).Select(p => $"{p.Key} x{p.Value}")));
        }
        if (skippedForSize.Count > 0)
        {
            details.Add(string.Create(CultureInfo.InvariantCulture,
                $"left {skippedForSize.Count} constant node(s) that would grow the model by over {MaxGrowthBytes:N0} bytes: ") + string.Join(", ", skippedForSize.Take(5)));
        }
        return order.Count;
    }

    private static bool IsFoldable(Node node, HashSet<Value> constantValues) =>
        node.IsDefaultDomain && node.Inputs.Any(i => i is not null) && !NeverFold.Contains(node.OpType)
        && !node.OpType.StartsWith("Sequence", StringComparison.Ordinal) && !GraphEdits.HasSubgraph(node)
        && node.Inputs.All(i => i is null || constantValues.Contains(i) || GraphEdits.ConstantOf(i) is not null);

    /// <summary>Outputs of <paramref name="node"/> that something outside the folded set still reads.</summary>
    private static IEnumerable<Value> Frontier(Node node, HashSet<Node> folded, HashSet<string> captured) =>
        node.Outputs.OfType<Value>().Where(o => o.IsGraphOutput || captured.Contains(o.Name) || o.Consumers.Any(c => !folded.Contains(c)));

    /// <summary>True when materializing <paramref name="value"/> adds more than the limit to the model.</summary>
    private static bool Grows(Value value, Onnx.Protobuf.TensorProto tensor, Node node, HashSet<Node> folded)
    {
        var bytes = TensorData.ByteSize(tensor);
        if (bytes <= MaxGrowthBytes)
        {
            return false;
        }
        // Initializers only the folded nodes read disappear with them; one that others read stays too.
        long freed = 0;
        foreach (var input in node.Inputs.OfType<Value>().Distinct())
        {
            if (input.IsInitializer && input.Consumers.All(folded.Contains) && !input.IsGraphOutput)
            {
                freed += TensorData.ByteSize(input.Initializer!);
            }
        }
        return bytes - freed > MaxGrowthBytes;
    }

    /// <summary>Evaluates the nodes in one ONNX Runtime session, or node by node when the batch fails.</summary>
    private static Dictionary<string, Onnx.Protobuf.TensorProto> Evaluate(OnnxModel model, List<Node> nodes)
    {
        var all = nodes.SelectMany(n => n.Outputs).OfType<Value>().ToList();
        if (OrtConstantEvaluator.Evaluate(model, nodes, all) is { } batch)
        {
            return batch;
        }
        var results = new Dictionary<string, Onnx.Protobuf.TensorProto>(StringComparer.Ordinal);
        var done = new HashSet<Value>();
        foreach (var node in nodes)
        {
            // A node whose constant inputs came from a failed evaluation cannot be folded either.
            var producedInputs = node.Inputs.OfType<Value>().Where(i => i.Producer is not null).ToList();
            if (producedInputs.Any(i => !done.Contains(i)))
            {
                continue;
            }
            var deps = producedInputs.Select(i => i.Producer!).Distinct().ToList();
            var chain = new List<Node>(deps) { node };
            if (OrtConstantEvaluator.Evaluate(model, [.. ClosureInOrder(chain, nodes)], [.. node.Outputs.OfType<Value>()]) is { } single)
            {
                foreach (var (name, t) in single)
                {
                    results[name] = t;
                }
                done.UnionWith(node.Outputs.OfType<Value>());
            }
        }
        return results;
    }

    /// <summary>The nodes <paramref name="roots"/> need (within <paramref name="nodes"/>), in their original order.</summary>
    private static IEnumerable<Node> ClosureInOrder(List<Node> roots, List<Node> nodes)
    {
        var need = new HashSet<Node>();
        var stack = new Stack<Node>(roots);
        while (stack.TryPop(out var n))
        {
            if (need.Add(n))
            {
                foreach (var i in n.Inputs)
                {
                    if (i?.Producer is { } p)
                    {
                        stack.Push(p);
                    }
                }
            }
        }
        return nodes.Where(need.Contains);
    }
}
