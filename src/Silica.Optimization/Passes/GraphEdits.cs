using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Optimization.Passes;

/// <summary>Small graph edits the passes share: constants, bypassing a node, cleaning up what a rewrite left unused.</summary>
internal static class GraphEdits
{
    /// <summary>
    /// The constant tensor behind a value: an initializer that is not also a graph input (an initializer listed
    /// among the inputs is only a default a caller may override), or null.
    /// </summary>
    public static TensorProto? ConstantOf(Value? value) =>
        value is { Initializer: { } t, IsGraphInput: false } && TensorData.HasData(t) && t.DataLocation != TensorProto.Types.DataLocation.External ? t : null;

    /// <summary>The constant's values as doubles, or null when the value is not a numeric constant.</summary>
    public static double[]? ConstantDoubles(Value? value)
    {
        var t = ConstantOf(value);
        if (t is null)
        {
            return null;
        }
        var type = (TensorDataType)t.DataType;
        return type.IsFloatingPoint() || type.IsInteger() || type == TensorDataType.Bool ? TensorData.ToDoubleArray(t) : null;
    }

    /// <summary>The constant's values as int64, or null when the value is not an integer constant.</summary>
    public static long[]? ConstantLongs(Value? value)
    {
        var t = ConstantOf(value);
        return t is not null && (((TensorDataType)t.DataType).IsInteger() || t.DataType == (int)TensorDataType.Bool) ? TensorData.ToInt64Array(t) : null;
    }

    /// <summary>
    /// Removes <paramref name="node"/> and makes everything that read <paramref name="output"/> read
    /// <paramref name="replacement"/> instead. Graph output names never change: when the output is a graph
    /// output, the replacement takes over its name if it can (a node output that is not itself a graph output);
    /// otherwise the node is left in place and false is returned.
    /// </summary>
    public static bool Bypass(OnnxGraph graph, Node node, Value output, Value replacement)
    {
        if (output.IsGraphOutput)
        {
            if (replacement.Producer is null || replacement.IsGraphOutput || replacement.IsGraphInput || replacement.IsInitializer)
            {
                return false;
            }
            var name = output.Name;
            graph.RemoveNode(node);
            graph.ReplaceAllUses(output, replacement);
            graph.RenameValue(output, graph.UniqueName(name + "_bypassed"));
            graph.RenameValue(replacement, name);
            return true;
        }
        graph.RemoveNode(node);
        graph.ReplaceAllUses(output, replacement);
        return true;
    }

    /// <summary>Removes the initializer when nothing reads it any more (after a rewrite replaced its last use).</summary>
    public static bool RemoveIfUnused(OnnxGraph graph, Value? value)
    {
        if (value is { IsInitializer: true, IsGraphInput: false, IsGraphOutput: false, Consumers.Count: 0 })
        {
            graph.RemoveInitializer(value);
            return true;
        }
        return false;
    }

    /// <summary>Adds an initializer under a fresh name derived from <paramref name="prefix"/>.</summary>
    public static Value AddConstant(OnnxGraph graph, string prefix, TensorProto tensor)
    {
        tensor.Name = graph.UniqueName(prefix);
        return graph.AddInitializer(tensor);
    }

    /// <summary>Restores a topological node order after rewrites appended nodes at the end.</summary>
    public static void Resort(OnnxGraph graph)
    {
        if (!graph.IsTopologicallySorted())
        {
            graph.ReorderNodes(graph.TopologicalOrder());
        }
    }

    /// <summary>Names of outer values that subgraph attributes (If, Loop, Scan bodies) read: uses the IR does not link.</summary>
    public static HashSet<string> CapturedBySubgraphs(OnnxGraph graph)
    {
        var captured = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in graph.Nodes)
        {
            foreach (var a in node.Attributes)
            {
                if (a.G is not null)
                {
                    CollectReads(a.G, captured);
                }
                foreach (var g in a.Graphs)
                {
                    CollectReads(g, captured);
                }
            }
        }
        return captured;
    }

    /// <summary>True when the node carries a subgraph (If, Loop, Scan): passes leave those alone.</summary>
    public static bool HasSubgraph(Node node) => node.Attributes.Any(a => a.G is not null || a.Graphs.Count > 0);

    private static void CollectReads(GraphProto g, HashSet<string> names)
    {
        // Over-approximate: every name read inside counts, local or not; keeping a value alive is always safe.
        foreach (var n in g.Node)
        {
            foreach (var i in n.Input)
            {
                names.Add(i);
            }
            foreach (var a in n.Attribute)
            {
                if (a.G is not null)
                {
                    CollectReads(a.G, names);
                }
                foreach (var sub in a.Graphs)
                {
                    CollectReads(sub, names);
                }
            }
        }
        foreach (var o in g.Output)
        {
            names.Add(o.Name);
        }
    }
}
