using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Optimization.Quantization;

/// <summary>
/// Upsample and Resize across opsets 10, 11 and 13. Upsample-9 and Resize-10 map output coordinates as
/// <c>x_in = x_out / scale</c> (what Resize-11 calls <c>asymmetric</c>) and, for nearest, take the floor when
/// enlarging; Resize-11 defaults to <c>half_pixel</c> and <c>round_prefer_floor</c>, so both are set explicitly.
/// </summary>
internal static class ResizeAdapters
{
    /// <summary>Resize-10 is Upsample-9 under a new name: same inputs (X, scales) and mode attribute.</summary>
    public static Node UpsampleToResize10(Node node, UpgradeContext context) =>
        context.Rebuild(node, "Resize", [.. node.Inputs], [.. node.Attributes]);

    /// <summary>
    /// Nearest resizing that shrinks, or whose scales are only known at run time, is refused: opset-10 runtimes round
    /// a shrinking nearest differently (ONNX Runtime takes the ceiling there) from any Resize-11 nearest_mode.
    /// </summary>
    public static string? CheckResize11(Node node)
    {
        if (node.Attributes.GetString("mode", "nearest") != "nearest")
        {
            return null;
        }
        var scales = UpgradeContext.ConstantValues(node.Input(1));
        return scales is null ? "nearest resizing with scales computed at run time (opset 10 and 11 round a shrinking resize differently)"
            : scales.Any(s => s < 1) ? "nearest resizing that shrinks (opset 10 and 11 round it differently)"
            : null;
    }

    /// <summary>Resize-11: an empty roi input goes before scales; coordinates <c>asymmetric</c>, nearest rounding <c>floor</c>.</summary>
    public static Node Resize11(Node node, UpgradeContext context)
    {
        var roi = context.Graph.AddInitializer(TensorData.FromFloats(context.Graph.UniqueName($"{node.Name}_roi"), [0], []));
        var nearest = node.Attributes.GetString("mode", "nearest") == "nearest";
        var attributes = UpgradeContext.Without(node, "coordinate_transformation_mode", "nearest_mode").ToList();
        attributes.Add(Attr.String("coordinate_transformation_mode", "asymmetric"));
        if (nearest)
        {
            attributes.Add(Attr.String("nearest_mode", "floor"));
        }
        return context.Rebuild(node, "Resize", [node.Inputs[0], roi, node.Input(1)], attributes);
    }

    /// <summary>Resize-13 dropped the <c>tf_half_pixel_for_nn</c> coordinate mode; every other attribute and input carries over.</summary>
    public static string? CheckResize13(Node node) =>
        node.Attributes.GetString("coordinate_transformation_mode", "half_pixel") == "tf_half_pixel_for_nn"
            ? "coordinate_transformation_mode tf_half_pixel_for_nn was removed at opset 13" : null;
}
