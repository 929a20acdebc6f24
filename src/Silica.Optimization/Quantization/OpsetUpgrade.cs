using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Optimization.Quantization;

/// <summary>
/// Raises a model's default-domain opset (FP8 QDQ needs 19). Between 13 and 19 the only changes that break
/// existing nodes are the Reduce* operators taking <c>axes</c> as an input from 18 on; those are rewritten.
/// Older models change in many more ways (Split, Squeeze, Unsqueeze, Clip...) and are refused.
/// </summary>
internal static class OpsetUpgrade
{
    private static readonly HashSet<string> ReduceOpsAxesInputAt18 =
    [
        "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare",
    ];

    /// <summary>Upgrades to <paramref name="target"/>; returns a note when the opset changed, null when it already was high enough.</summary>
    /// <exception cref="NotSupportedException">The model's opset is below 13.</exception>
    public static string? To(OnnxModel model, long target)
    {
        var from = model.Opset;
        if (from >= target)
        {
            return null;
        }
        if (from < 13)
        {
            throw new NotSupportedException($"FP8 needs opset {target}; upgrading a model from opset {from} (below 13) is not supported");
        }
        var rewritten = 0;
        if (from < 18)
        {
            foreach (var node in model.Graph.Nodes.Where(n => n.IsDefaultDomain && ReduceOpsAxesInputAt18.Contains(n.OpType)).ToList())
            {
                if (node.Attributes.GetInts("axes") is not { } axes)
                {
                    continue;
                }
                var axesValue = model.Graph.AddInitializer(TensorData.FromInt64s(model.Graph.UniqueName(node.Name + "_axes"), [axes.Length], axes));
                node.Attributes.Remove("axes");
                ReplaceWithExtraInput(model.Graph, node, axesValue);
                rewritten++;
            }
        }
        model.SetOpset("", target);
        return $"opset raised from {from} to {target}" + (rewritten > 0 ? $" ({rewritten} Reduce nodes now take axes as an input)" : "");
    }

    // Nodes have a fixed input count, so a node that gains an input is rebuilt with the same name and outputs.
    private static void ReplaceWithExtraInput(OnnxGraph graph, Node node, Value extra)
    {
        var inputs = node.Inputs.Append(extra).ToArray();
        var outputs = node.Outputs.Select(o => o?.Name ?? "").ToArray();
        var attributes = node.Attributes.ToArray();
        var name = node.Name;
        graph.RemoveNode(node);
        graph.AddNode(node.OpType, inputs, outputs, attributes, name, node.Domain);
    }
}
