using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Optimization.Quantization;

/// <summary>
/// Raises a model's default-domain opset where quantized operators need it: 10 for INT8 QDQ (QLinearConv and
/// QLinearMatMul, which ONNX Runtime fuses QDQ into, start there), 19 for FP8. Only the changes that break
/// nodes a model actually has are handled: 9 → 10 (Slice and TopK take inputs, Upsample becomes Resize) and
/// 13 → 19 (Reduce* take axes as an input from 18). Between 10 and 13 many operators change (Clip, Split,
/// Squeeze, Unsqueeze, Softmax...), so such models are refused for targets above 12.
/// </summary>
internal static class OpsetUpgrade
{
    private static readonly HashSet<string> ReduceOpsAxesInputAt18 =
    [
        "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare",
    ];

    /// <summary>Upgrades to <paramref name="target"/>; returns a note when the opset changed, null when it already was high enough.</summary>
    /// <exception cref="NotSupportedException">The upgrade crosses opsets 10–13 (or starts below 9).</exception>
    public static string? To(OnnxModel model, long target, string purpose)
    {
        var from = model.Opset;
        if (from >= target)
        {
            return null;
        }
        if (from < 9 || (from < 13 && target > 12))
        {
            throw new NotSupportedException($"{purpose} needs opset {target}; upgrading this model from opset {from} is not supported");
        }
        var graph = model.Graph;
        var rewritten = 0;
        foreach (var node in graph.Nodes.Where(n => n.IsDefaultDomain).ToList())
        {
            if (from < 10 && node.OpType == "Slice")
            {
                var starts = node.Attributes.GetInts("starts") ?? [];
                var ends = node.Attributes.GetInts("ends") ?? [];
                var axes = node.Attributes.GetInts("axes") ?? [.. Enumerable.Range(0, starts.Length).Select(i => (long)i)];
                Rebuild(graph, node, "Slice", [node.Inputs[0], Ints(graph, node, "starts", starts), Ints(graph, node, "ends", ends), Ints(graph, node, "axes", axes)], []);
                rewritten++;
            }
            else if (from < 10 && node.OpType == "TopK")
            {
                var k = node.Attributes.GetInt("k", 1);
                Rebuild(graph, node, "TopK", [node.Inputs[0], Ints(graph, node, "k", [k])], [.. node.Attributes.Where(a => a.Name != "k")]);
                rewritten++;
            }
            else if (from < 10 && node.OpType == "Upsample")
            {
                // Resize-10 is Upsample-9 under a new name: same inputs (X, scales) and mode attribute.
                Rebuild(graph, node, "Resize", [.. node.Inputs], [.. node.Attributes]);
                rewritten++;
            }
            else if (from < 18 && target >= 18 && ReduceOpsAxesInputAt18.Contains(node.OpType) && node.Attributes.GetInts("axes") is { } axes)
            {
                Rebuild(graph, node, node.OpType, [.. node.Inputs, Ints(graph, node, "axes", axes)], [.. node.Attributes.Where(a => a.Name != "axes")]);
                rewritten++;
            }
        }
        model.SetOpset("", target);
        if (!graph.IsTopologicallySorted())
        {
            graph.ReorderNodes(graph.TopologicalOrder());
        }
        return $"opset raised from {from} to {target} for {purpose}" + (rewritten > 0 ? $" ({rewritten} nodes rewritten to the new operator versions)" : "");
    }

    private static Value Ints(OnnxGraph graph, Node node, string what, long[] values) =>
        graph.AddInitializer(TensorData.FromInt64s(graph.UniqueName($"{node.Name}_{what}"), [values.Length], values));

    // Nodes have a fixed input list, so a node whose inputs change is rebuilt with the same name and outputs.
    private static void Rebuild(OnnxGraph graph, Node node, string opType, Value?[] inputs, AttributeProto[] attributes)
    {
        var outputs = node.Outputs.Select(o => o?.Name ?? "").ToArray();
        var name = node.Name;
        graph.RemoveNode(node);
        graph.AddNode(opType, inputs, outputs, attributes, name, node.Domain);
    }
}
