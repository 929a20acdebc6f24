using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Onnx.Cost;

/// <summary>
/// Counts FLOPs, bytes and parameters per node from the graph's (inferred) shapes — the input to the
/// hardware predictor. Formulas per operator class are documented in docs/cost-model.md; run shape
/// inference with bound dimensions first, or nodes with symbolic shapes are reported as unknown.
/// </summary>
public static class CostModel
{
    /// <summary>Costs every node (in topological order) and totals them; never throws on unknown shapes.</summary>
    public static ModelCost Analyze(OnnxModel model)
    {
        var nodes = new List<NodeCost>(model.Graph.Nodes.Count);
        var parameters = new HashSet<Value>();
        double flops = 0;
        long read = 0, written = 0;
        var unknown = 0;
        IReadOnlyList<Node> order;
        try
        {
            order = model.Graph.TopologicalOrder();
        }
        catch (OnnxFormatException)
        {
            order = model.Graph.Nodes; // a cyclic graph is still costed node by node
        }
        foreach (var node in order)
        {
            var cost = AnalyzeNode(node);
            nodes.Add(cost);
            flops += cost.Flops;
            read += cost.BytesRead;
            written += cost.BytesWritten;
            if (!cost.IsKnown)
            {
                unknown++;
            }
            foreach (var input in node.Inputs)
            {
                if (input is not null && IsParameter(input))
                {
                    parameters.Add(input);
                }
            }
        }
        long paramCount = 0, paramBytes = 0;
        foreach (var p in parameters)
        {
            paramCount += Elements(p) ?? 0;
            paramBytes += Bytes(p) ?? 0;
        }
        return new ModelCost(nodes, flops, read, written, paramCount, paramBytes, unknown);
    }

    /// <summary>The operator family of an op type.</summary>
    public static OpClass Classify(string opType, string domain = "") => OpClassifier.Classify(opType, domain);

    /// <summary>Costs one node from its input and output types.</summary>
    public static NodeCost AnalyzeNode(Node node)
    {
        var cls = Classify(node.OpType, node.Domain);
        long paramCount = 0, paramBytes = 0;
        foreach (var input in node.Inputs)
        {
            if (input is not null && IsParameter(input))
            {
                paramCount += Elements(input) ?? 0;
                paramBytes += Bytes(input) ?? 0;
            }
        }
        if (cls == OpClass.ShapeOnly)
        {
            // Reshape, Squeeze, Identity... only rewrite tensor metadata at run time: no arithmetic, no copy.
            return new NodeCost(node.Name, node.OpType, cls, 0, 0, 0, paramCount, paramBytes, true);
        }

        long written = 0;
        foreach (var output in node.Outputs)
        {
            if (output is null)
            {
                continue;
            }
            if (Bytes(output) is not { } b)
            {
                return Unknown(node, cls, paramCount, paramBytes);
            }
            written += b;
        }
        long read = 0;
        for (var i = 0; i < node.Inputs.Count; i++)
        {
            var input = node.Inputs[i];
            if (input is null)
            {
                continue;
            }
            if (cls == OpClass.DataMovement && node.OpType == "Gather" && i == 0)
            {
                // A lookup reads only the gathered rows (as many bytes as it writes), not the whole table.
                continue;
            }
            if (Bytes(input) is not { } b)
            {
                return Unknown(node, cls, paramCount, paramBytes);
            }
            read += b;
        }
        if (node.OpType == "Gather")
        {
            read += written;
        }
        var flops = Formulas.Flops(node, cls);
        return flops is { } f
            ? new NodeCost(node.Name, node.OpType, cls, f, read, written, paramCount, paramBytes, true)
            : Unknown(node, cls, paramCount, paramBytes);
    }

    /// <summary>
    /// A floating-point constant: a weight, bias, norm statistic or embedding (not an int64 shape constant).
    /// Exporters store them as initializers or as <c>Constant</c> nodes (PaddleOCR's models do the latter).
    /// </summary>
    internal static bool IsParameter(Value v) =>
        (v.IsInitializer || v.Producer is { OpType: "Constant" }) && v.Type is { } t && t.ElementType.IsFloatingPoint();

    internal static long? Elements(Value? v)
    {
        try
        {
            return v?.Type?.Shape?.ElementCount;
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    internal static long? Bytes(Value v)
    {
        if (Elements(v) is not { } n || v.Type is null)
        {
            return null;
        }
        try
        {
            return v.Type.ElementType.ByteCount(n);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static NodeCost Unknown(Node node, OpClass cls, long paramCount, long paramBytes) =>
        new(node.Name, node.OpType, cls, 0, 0, 0, paramCount, paramBytes, false);
}
