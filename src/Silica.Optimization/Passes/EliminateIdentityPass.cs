using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Optimization.Passes;

/// <summary>
/// <c>eliminate-identity</c>: removes nodes that pass their input through unchanged: Identity, Dropout at
/// inference (when its mask is unused and training mode is off), Cast to the type the input already has,
/// Transpose with the identity permutation, and Reshape to the shape the input already has. A graph output
/// keeps its name: the bypassed value takes it over, or the node stays when that is not possible.
/// </summary>
/// <remarks>Run shape inference (or <c>fold-constants</c>) first so value types are known; untyped Casts and Reshapes are left alone.</remarks>
public sealed class EliminateIdentityPass : IGraphPass
{
    /// <inheritdoc/>
    public string Name => "eliminate-identity";

    /// <inheritdoc/>
    public PassReport Apply(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        var removed = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes.ToArray())
        {
            if (!node.IsDefaultDomain || node.Input(0) is not { } input || node.Output(0) is not { } output || !IsNoOp(node, input, output))
            {
                continue;
            }
            if (GraphEdits.Bypass(graph, node, output, input))
            {
                var key = node.OpType == "Identity" ? "Identity" : $"no-op {node.OpType}";
                removed[key] = removed.GetValueOrDefault(key) + 1;
                foreach (var other in node.Inputs.Skip(1))
                {
                    GraphEdits.RemoveIfUnused(graph, other);
                }
            }
        }
        var details = removed.OrderByDescending(p => p.Value).Select(p => $"removed {p.Key} x{p.Value}").ToList();
        return new PassReport(Name, removed.Values.Sum(), details);
    }

    private static bool IsNoOp(Node node, Value input, Value output)
    {
        switch (node.OpType)
        {
            case "Identity":
                return true;
            case "Dropout":
                // Output 1 is the mask; input 2 is training_mode (opset 12+), inference only when absent or false.
                return node.Output(1) is not { Consumers.Count: > 0 } and not { IsGraphOutput: true }
                    && (node.Input(2) is null || GraphEdits.ConstantLongs(node.Input(2)) is [0]);
            case "Cast":
                return input.Type is { } t && node.Attributes.GetInt("to", 0) == (long)t.ElementType;
            case "Transpose":
                var perm = node.Attributes.GetInts("perm");
                // Without perm Transpose reverses the axes: a no-op only for rank ≤ 1.
                return perm is null ? input.Type?.Shape is { Rank: <= 1 } : perm.Select((p, i) => p == i).All(x => x);
            case "Reshape":
                return IsNoOpReshape(node, input, output);
            default:
                return false;
        }
    }

    private static bool IsNoOpReshape(Node node, Value input, Value output)
    {
        var inShape = input.Type?.Shape;
        if (inShape is null)
        {
            return false;
        }
        if (inShape.IsStatic && output.Type?.Shape is { IsStatic: true } outShape && inShape.Equals(outShape))
        {
            return true;
        }
        // The target is a constant that keeps every dimension: 0 copies it (unless allowzero), a number equals a
        // known input size, and a single -1 is forced to the one dimension left over.
        var target = GraphEdits.ConstantLongs(node.Input(1));
        if (target is null || target.Length != inShape.Rank)
        {
            return false;
        }
        var allowZero = node.Attributes.GetInt("allowzero", 0) != 0;
        var inferred = 0;
        for (var i = 0; i < target.Length; i++)
        {
            var d = inShape[i];
            if (target[i] == 0 && !allowZero)
            {
                continue;
            }
            if (target[i] == -1)
            {
                inferred++;
                continue;
            }
            if (!d.IsKnown || d.KnownValue != target[i])
            {
                return false;
            }
        }
        return inferred <= 1;
    }
}
