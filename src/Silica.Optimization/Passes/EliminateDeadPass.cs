using System.Globalization;
using Silica.Onnx.Graph;

namespace Silica.Optimization.Passes;

/// <summary>
/// <c>eliminate-dead</c>: removes nodes none of whose outputs reach a graph output, and initializers nothing
/// reads. Values read inside If/Loop/Scan bodies count as used. Initializers that are also graph inputs are
/// part of the model's interface and stay.
/// </summary>
public sealed class EliminateDeadPass : IGraphPass
{
    /// <inheritdoc/>
    public string Name => "eliminate-dead";

    /// <inheritdoc/>
    public PassReport Apply(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var captured = GraphEdits.CapturedBySubgraphs(graph);
        var removedNodes = new Dictionary<string, int>(StringComparer.Ordinal);
        var nodeCount = 0;
        // Reverse order removes a dead chain in one sweep: a node's consumers are visited before it.
        foreach (var node in graph.TopologicalOrder().Reverse())
        {
            if (node.Outputs.Any(o => o is not null && (o.IsGraphOutput || o.Consumers.Count > 0 || captured.Contains(o.Name))))
            {
                continue;
            }
            graph.RemoveNode(node);
            removedNodes[node.OpType] = removedNodes.GetValueOrDefault(node.OpType) + 1;
            nodeCount++;
        }
        var removedInitializers = 0;
        long removedBytes = 0;
        foreach (var init in graph.Initializers.ToArray())
        {
            if (init.Consumers.Count == 0 && !init.IsGraphOutput && !init.IsGraphInput && !captured.Contains(init.Name))
            {
                removedBytes += Silica.Onnx.Model.TensorData.ByteSize(init.Initializer!);
                graph.RemoveInitializer(init);
                removedInitializers++;
            }
        }
        var details = new List<string>();
        if (nodeCount > 0)
        {
            details.Add($"removed {nodeCount} unused node(s): " + string.Join(", ", removedNodes.OrderByDescending(p => p.Value).Select(p => $"{p.Key} x{p.Value}")));
        }
        if (removedInitializers > 0)
        {
            details.Add(string.Create(CultureInfo.InvariantCulture, $"removed {removedInitializers} unused initializer(s), {removedBytes:N0} bytes"));
        }
        return new PassReport(Name, nodeCount + removedInitializers, details);
    }
}
