using Silica.Onnx.Building;
using Silica.Onnx.Graph;

namespace Silica.Optimization.Quantization;

/// <summary>
/// Softmax, LogSoftmax and Hardmax at opset 13. Up to 12 they flatten the input to 2-D at <c>axis</c> (default 1) and
/// normalize each row over all the trailing dims; from 13 they normalize one axis (default −1). When the axis is the
/// last one the two agree and only the axis is written out; otherwise the old meaning is spelled out as onnx's
/// softmax_12_13 adapter does: Flatten at the axis, normalize the last axis, Reshape back to the input's shape.
/// </summary>
internal static class SoftmaxAdapter
{
    public static Node Softmax13(Node node, UpgradeContext context)
    {
        var x = node.Inputs[0]!;
        var axis = node.Attributes.GetInt("axis", 1);
        var rank = context.TypeOf(x)?.Shape?.Rank;
        if (rank is { } r && (axis == r - 1 || axis == -1))
        {
            return context.Rebuild(node, node.OpType, [x], [Attr.Int("axis", -1)]);
        }
        var graph = context.Graph;
        var shape = graph.AddNode("Shape", [x], [graph.UniqueName($"{node.Name}_shape")], name: graph.UniqueName($"{node.Name}_shape")).Outputs[0]!;
        var flat = graph.AddNode("Flatten", [x], [graph.UniqueName($"{node.Name}_2d")], [Attr.Int("axis", axis)], graph.UniqueName($"{node.Name}_flatten")).Outputs[0]!;
        var output = node.Outputs[0]!.Name;
        var normalized = graph.UniqueName($"{node.Name}_2d_out");
        var rebuilt = context.Rebuild(node, node.OpType, [flat], [Attr.Int("axis", -1)], [normalized]);
        graph.AddNode("Reshape", [rebuilt.Outputs[0], shape], [output], name: graph.UniqueName($"{node.Name}_reshape"));
        return rebuilt;
    }
}
