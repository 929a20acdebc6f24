using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference;

/// <summary>
/// Static shape and element-type inference over an ONNX graph. Symbolic dimensions (<c>batch</c>,
/// <c>seq</c>) propagate through operators, and small integer tensors computed from shapes
/// (Shape → Gather → Concat → Reshape) are evaluated so that data-dependent shapes resolve.
/// </summary>
public static class ShapeInferencer
{
    /// <summary>The default-domain opset assumed when a model imports none (the newest covered here).</summary>
    private const long LatestOpset = 22;

    /// <summary>
    /// Infers every node output's <see cref="Value.Type"/>, visiting nodes in topological order. Never
    /// throws for a malformed or unsupported node: its outputs become unknown and a diagnostic says why.
    /// </summary>
    /// <param name="model">The model; its graph's value types are overwritten with the inferred ones.</param>
    /// <param name="bindings">Numbers for symbolic dimensions (e.g. <c>batch=8</c>), applied to the graph first.</param>
    public static ShapeInferenceResult Infer(OnnxModel model, IReadOnlyDictionary<string, long>? bindings = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var graph = model.Graph;
        if (bindings is { Count: > 0 })
        {
            graph.BindDimensions(bindings);
        }
        var diagnostics = new List<ShapeDiagnostic>();
        IReadOnlyList<Node> order;
        try
        {
            order = graph.TopologicalOrder();
        }
        catch (OnnxFormatException e)
        {
            diagnostics.Add(new ShapeDiagnostic("", "", $"cannot infer shapes: {e.Message}"));
            return new ShapeInferenceResult(diagnostics, [.. graph.Nodes.SelectMany(n => n.Outputs).OfType<Value>().Select(v => v.Name)]);
        }

        var known = KnownInitializers(graph);
        var failed = new HashSet<Value>();
        var opsets = model.OpsetImports;
        foreach (var node in order)
        {
            var domain = node.IsDefaultDomain ? "" : node.Domain;
            var opset = opsets.TryGetValue(domain, out var v) ? v : domain.Length == 0 ? LatestOpset : 1;
            var message = InferNode(node, opset, known, failed);
            if (message is not null)
            {
                var op = domain.Length == 0 ? node.OpType : $"{domain}.{node.OpType}";
                diagnostics.Add(new ShapeDiagnostic(node.Name, op, $"cannot infer shape of {op} node '{node.Name}': {message}"));
            }
        }
        return new ShapeInferenceResult(diagnostics, IncompleteValues(order));
    }

    /// <summary>Runs one node's inference; returns a diagnostic message, or null when done (or failed only because of an upstream failure).</summary>
    private static string? InferNode(Node node, long opset, Dictionary<Value, KnownTensor> known, HashSet<Value> failed)
    {
        var inference = OpRegistry.Default.Find(node.Domain, node.OpType);
        string? message = null;
        NodeContext? context = null;
        if (inference is null)
        {
            message = node.IsDefaultDomain ? "unsupported operator" : $"unsupported operator in domain '{node.Domain}'";
        }
        else if (node.Inputs.FirstOrDefault(i => i is { Type: null }) is { } untyped)
        {
            message = failed.Contains(untyped) ? null : $"input '{untyped.Name}' has no tensor type";
            Fail(node, failed);
            return message;
        }
        else
        {
            context = new NodeContext(node, opset, known);
            try
            {
                inference(context);
            }
            catch (ShapeInferenceException e)
            {
                message = e.IsConsequence ? "" : e.Message;
            }
            catch (Exception e) when (e is OnnxFormatException or ArgumentException or InvalidOperationException
                or OverflowException or IndexOutOfRangeException or FormatException)
            {
                // Malformed attributes or constant data reach here; a diagnostic is the contract, not a crash.
                message = $"invalid node: {e.Message}";
            }
        }
        if (message is not null)
        {
            Fail(node, failed);
            return message.Length == 0 ? null : message;
        }
        for (var i = 0; i < node.Outputs.Count; i++)
        {
            if (node.Outputs[i] is not { } output)
            {
                continue;
            }
            var value = context!.OutputValues[i];
            output.Type = context.OutputTypes[i]
                ?? (value is null ? null : new TensorType(value.Type, TensorShape.Of(value.Dims)));
            if (value is not null)
            {
                known[output] = value;
            }
            else
            {
                known.Remove(output);
            }
            if (output.Type is null)
            {
                failed.Add(output);
            }
        }
        return null;
    }

    private static void Fail(Node node, HashSet<Value> failed)
    {
        foreach (var output in node.Outputs)
        {
            if (output is not null)
            {
                output.Type = null;
                failed.Add(output);
            }
        }
    }

    private static Dictionary<Value, KnownTensor> KnownInitializers(OnnxGraph graph)
    {
        var known = new Dictionary<Value, KnownTensor>();
        foreach (var v in graph.Initializers)
        {
            try
            {
                if (KnownTensor.FromProto(v.Initializer!) is { } t)
                {
                    known[v] = t;
                }
            }
            catch (Exception e) when (e is OnnxFormatException or OverflowException)
            {
                // A malformed initializer is simply not known; nodes reading it report what they need.
            }
        }
        return known;
    }

    private static List<string> IncompleteValues(IReadOnlyList<Node> order) =>
        [.. order.SelectMany(n => n.Outputs).OfType<Value>()
            .Where(v => v.Type?.Shape is not { } s || s.Any(d => !d.IsKnown && !d.IsSymbolic))
            .Select(v => v.Name)];
}
