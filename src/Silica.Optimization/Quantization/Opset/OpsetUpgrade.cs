using Silica.Onnx.Graph;

namespace Silica.Optimization.Quantization;

/// <summary>
/// Raises a model's default-domain opset where quantized operators need it: 10 for INT8 QDQ (QLinearConv and
/// QLinearMatMul, which ONNX Runtime fuses QDQ into, start there), 19 for FP8. A version converter in the manner of
/// onnx's own (onnx/version_converter): every node's operator is walked through each version it crosses between the
/// model's opset and the target; where a version changed the operator's interface or meaning, an adapter rewrites
/// the node into an exact equivalent (see <see cref="OperatorChanges"/>), and an operator with no known history, or a
/// node an adapter cannot rewrite exactly, refuses the whole upgrade with one line naming it. Models below opset 9
/// (whose BatchNormalization, Upsample and Cast still differ) are refused.
/// </summary>
internal static class OpsetUpgrade
{
    /// <summary>Upgrades to <paramref name="target"/>; returns a note when the opset changed, null when it already was high enough.</summary>
    /// <exception cref="NotSupportedException">A node cannot be upgraded (the message names it), or the model is below opset 9.</exception>
    public static string? To(OnnxModel model, long target, string purpose)
    {
        var from = model.Opset;
        if (from >= target)
        {
            return null;
        }
        ThrowIfUnsupported(model, target, purpose);
        var context = new UpgradeContext(model, from < 13 && model.Graph.Nodes.Any(n => n.IsDefaultDomain && OperatorChanges.NeedsTypes(n.OpType)));
        var rewritten = 0;
        foreach (var original in model.Graph.Nodes.Where(n => n.IsDefaultDomain).ToList())
        {
            var node = original;
            var changed = false;
            long version = from;
            // An adapter may rename the operator (Upsample becomes Resize-10): the walk goes on along the new one's history.
            while (OperatorChanges.Next(node.OpType, version, target) is { } change)
            {
                if (change.Apply is not null)
                {
                    var next = change.Apply(node, context);
                    changed |= !ReferenceEquals(next, node);
                    node = next;
                }
                version = change.Version;
            }
            rewritten += changed ? 1 : 0;
        }
        model.SetOpset("", target);
        // Each opset release pairs with a minimum IR version (onnx/docs/Versioning.md); float8 tensors need IR 9.
        model.IrVersion = Math.Max(model.IrVersion, MinimumIrVersion(target));
        if (!model.Graph.IsTopologicallySorted())
        {
            model.Graph.ReorderNodes(model.Graph.TopologicalOrder());
        }
        return $"opset raised from {from} to {target} for {purpose}" + (rewritten > 0 ? $" ({rewritten} nodes rewritten to the new operator versions)" : "");
    }

    /// <summary>Fails, before anything changes, when <see cref="To"/> would refuse the model.</summary>
    /// <exception cref="NotSupportedException">A node cannot be upgraded (the message names it), or the model is below opset 9.</exception>
    public static void ThrowIfUnsupported(OnnxModel model, long target, string purpose)
    {
        var from = model.Opset;
        if (from >= target)
        {
            return;
        }
        if (from < 9)
        {
            throw new NotSupportedException($"{purpose} needs opset {target}; upgrading this model from opset {from} is not supported (only from opset 9 up)");
        }
        foreach (var node in model.Graph.Nodes.Where(n => n.IsDefaultDomain))
        {
            if (Refusal(node, from, target) is { } why)
            {
                var name = node.Name.Length > 0 ? $" '{node.Name}'" : "";
                throw new NotSupportedException($"{purpose} needs opset {target}; cannot upgrade {node.OpType} node{name} from opset {from}: {why}");
            }
        }
    }

    private static long MinimumIrVersion(long opset) => opset switch
    {
        >= 21 => 10,
        >= 19 => 9,
        >= 15 => 8,
        >= 12 => 7,
        >= 11 => 6,
        >= 10 => 5,
        _ => 4,
    };

    private static string? Refusal(Node node, long from, long target)
    {
        if (!OperatorChanges.IsKnown(node.OpType))
        {
            return "no version adapter for this operator";
        }
        var opType = node.OpType;
        long version = from;
        while (OperatorChanges.Next(opType, version, target) is { } change)
        {
            // Checks read the node as the model has it; after a rename (Upsample → Resize) the inputs and attributes they read are the same.
            if (change.Check?.Invoke(node) is { } why)
            {
                return why;
            }
            opType = change.RenamesTo ?? opType;
            version = change.Version;
        }
        return null;
    }
}
