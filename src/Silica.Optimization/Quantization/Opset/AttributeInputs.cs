using Silica.Onnx.Building;
using Silica.Onnx.Graph;

namespace Silica.Optimization.Quantization;

/// <summary>
/// Adapters for operators whose attributes became inputs (the commonest change between opsets 9 and 19), and for the
/// optional outputs that BatchNormalization and Dropout narrowed. Each keeps the node's name, outputs and meaning.
/// </summary>
internal static class AttributeInputs
{
    /// <summary>Slice-10: starts, ends and axes become int64 inputs (axes default to 0..n-1 as before).</summary>
    public static Node Slice10(Node node, UpgradeContext context)
    {
        var starts = node.Attributes.GetInts("starts") ?? [];
        var ends = node.Attributes.GetInts("ends") ?? [];
        var axes = node.Attributes.GetInts("axes") ?? [.. Enumerable.Range(0, starts.Length).Select(i => (long)i)];
        return context.Rebuild(node, "Slice",
            [node.Inputs[0], context.Ints(node, "starts", starts), context.Ints(node, "ends", ends), context.Ints(node, "axes", axes)], []);
    }

    /// <summary>TopK-10: k becomes a one-element int64 input.</summary>
    public static Node TopK10(Node node, UpgradeContext context) =>
        context.Rebuild(node, "TopK", [node.Inputs[0], context.Ints(node, "k", [node.Attributes.GetInt("k", 1)])], UpgradeContext.Without(node, "k"));

    /// <summary>Clip-11: the min and max attributes become optional scalar inputs of the data's type (absent stays absent).</summary>
    public static Node Clip11(Node node, UpgradeContext context)
    {
        var x = node.Inputs[0]!;
        var min = node.Attributes.Find("min") is { } lo ? context.Scalar(node, "min", lo.F, x) : null;
        var max = node.Attributes.Find("max") is { } hi ? context.Scalar(node, "max", hi.F, x) : null;
        Value?[] inputs = max is not null ? [x, min, max] : min is not null ? [x, min] : [x];
        return context.Rebuild(node, "Clip", inputs, UpgradeContext.Without(node, "min", "max"));
    }

    /// <summary>Pad-11: pads becomes an int64 input and value a scalar input of the data's type; mode stays an attribute.</summary>
    public static Node Pad11(Node node, UpgradeContext context)
    {
        var x = node.Inputs[0]!;
        var pads = context.Ints(node, "pads", node.Attributes.GetInts("pads") ?? []);
        var value = node.Attributes.Find("value") is { } v ? context.Scalar(node, "value", v.F, x) : null;
        return context.Rebuild(node, "Pad", value is null ? [x, pads] : [x, pads, value], UpgradeContext.Without(node, "pads", "value"));
    }

    /// <summary>Dropout-10 made the mask boolean; a model that reads the mask would change type, so it is refused.</summary>
    public static string? CheckDropoutMask(Node node) =>
        node.Output(1) is { } mask && (mask.Consumers.Count > 0 || mask.IsGraphOutput) ? "its mask output is used (its type changes to bool at opset 10)" : null;

    /// <summary>Dropout-12: the ratio attribute becomes a float scalar input (inference ignores it either way).</summary>
    public static Node Dropout12(Node node, UpgradeContext context)
    {
        if (node.Attributes.Find("ratio") is not { } ratio)
        {
            return node;
        }
        var input = context.Graph.AddInitializer(Onnx.Model.TensorData.FromFloats(context.Graph.UniqueName($"{node.Name}_ratio"), [], [ratio.F]));
        return context.Rebuild(node, "Dropout", [node.Inputs[0], input], UpgradeContext.Without(node, "ratio"));
    }

    /// <summary>BatchNormalization-14 has running statistics outputs only in training mode; used training outputs are refused.</summary>
    public static string? CheckBatchNormOutputs(Node node) =>
        node.Outputs.Skip(1).Any(o => o is not null && (o.Consumers.Count > 0 || o.IsGraphOutput))
            ? "its training outputs (mean, variance, saved statistics) are used" : null;

    /// <summary>BatchNormalization-14 in inference mode: only Y (unused training outputs are dropped).</summary>
    public static Node BatchNorm14(Node node, UpgradeContext context) =>
        node.Outputs.Count <= 1 ? node : context.Rebuild(node, node.OpType, [.. node.Inputs], [.. node.Attributes], [node.Outputs[0]?.Name ?? ""]);

    /// <summary>
    /// Squeeze-13, Unsqueeze-13, ReduceSum-13 and the other Reduce*-18: the axes attribute becomes an int64 input
    /// (second); without it the node keeps no axes input, which means "all axes" as before.
    /// </summary>
    public static Node AxesToInput(Node node, UpgradeContext context) =>
        node.Attributes.GetInts("axes") is { } axes
            ? context.Rebuild(node, node.OpType, [node.Inputs[0], context.Ints(node, "axes", axes)], UpgradeContext.Without(node, "axes"))
            : node;

    /// <summary>Split-13: the split attribute becomes an int64 input.</summary>
    public static Node Split13(Node node, UpgradeContext context) =>
        node.Attributes.GetInts("split") is { } split
            ? context.Rebuild(node, "Split", [node.Inputs[0], context.Ints(node, "split", split)], UpgradeContext.Without(node, "split"))
            : node;

    /// <summary>Split-18: without a split input the number of outputs must be given (num_outputs), as onnx's split_17_18 adapter does.</summary>
    public static Node Split18(Node node, UpgradeContext context)
    {
        if (node.Input(1) is not null || node.Attributes.Has("num_outputs"))
        {
            return node;
        }
        return context.Rebuild(node, "Split", [.. node.Inputs], [.. node.Attributes, Attr.Int("num_outputs", node.Outputs.Count)]);
    }
}
