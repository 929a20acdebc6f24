using Silica.Onnx.Protobuf;

namespace Silica.Onnx.Graph;

public sealed partial class OnnxGraph
{
    /// <summary>
    /// Nodes in an order where every node comes after the producers of its inputs (including values a
    /// subgraph attribute captures from this graph). Ties keep the current node order, so an already
    /// sorted graph comes back unchanged.
    /// </summary>
    /// <exception cref="OnnxFormatException">The graph has a cycle.</exception>
    public IReadOnlyList<Node> TopologicalOrder()
    {
        var index = new Dictionary<Node, int>(_nodes.Count);
        for (var i = 0; i < _nodes.Count; i++)
        {
            index[_nodes[i]] = i;
        }
        var pending = new int[_nodes.Count];
        var dependents = new List<int>?[_nodes.Count];
        for (var i = 0; i < _nodes.Count; i++)
        {
            foreach (var dep in Dependencies(_nodes[i]))
            {
                if (dep.Producer is { } p && index.TryGetValue(p, out var pi) && pi != i)
                {
                    pending[i]++;
                    (dependents[pi] ??= []).Add(i);
                }
            }
        }
        var ready = new PriorityQueue<int, int>();
        for (var i = 0; i < pending.Length; i++)
        {
            if (pending[i] == 0)
            {
                ready.Enqueue(i, i);
            }
        }
        var order = new List<Node>(_nodes.Count);
        while (ready.TryDequeue(out var i, out _))
        {
            order.Add(_nodes[i]);
            if (dependents[i] is { } ds)
            {
                foreach (var d in ds)
                {
                    if (--pending[d] == 0)
                    {
                        ready.Enqueue(d, d);
                    }
                }
            }
        }
        if (order.Count != _nodes.Count)
        {
            var stuck = _nodes.First(n => pending[index[n]] > 0);
            throw new OnnxFormatException($"the graph has a cycle through node '{stuck.Name}' ({stuck.OpType})");
        }
        return order;
    }

    /// <summary>True when the current node order is already topological.</summary>
    public bool IsTopologicallySorted()
    {
        var seen = new HashSet<Node>();
        foreach (var n in _nodes)
        {
            foreach (var dep in Dependencies(n))
            {
                if (dep.Producer is { } p && p != n && !seen.Contains(p))
                {
                    return false;
                }
            }
            seen.Add(n);
        }
        return true;
    }

    private IEnumerable<Value> Dependencies(Node node)
    {
        foreach (var v in node.Inputs)
        {
            if (v is not null)
            {
                yield return v;
            }
        }
        foreach (var a in node.Attributes)
        {
            if (a.G is not null || a.Graphs.Count > 0)
            {
                foreach (var name in CapturedNames(a))
                {
                    if (_values.TryGetValue(name, out var v))
                    {
                        yield return v;
                    }
                }
            }
        }
    }

    /// <summary>Names a subgraph attribute reads from enclosing scopes.</summary>
    private static HashSet<string> CapturedNames(AttributeProto attribute)
    {
        var captured = new HashSet<string>(StringComparer.Ordinal);
        if (attribute.G is not null)
        {
            Collect(attribute.G, captured);
        }
        foreach (var g in attribute.Graphs)
        {
            Collect(g, captured);
        }
        return captured;

        static void Collect(GraphProto g, HashSet<string> captured)
        {
            var local = new HashSet<string>(StringComparer.Ordinal);
            foreach (var i in g.Input)
            {
                local.Add(i.Name);
            }
            foreach (var t in g.Initializer)
            {
                local.Add(t.Name);
            }
            foreach (var n in g.Node)
            {
                foreach (var o in n.Output)
                {
                    local.Add(o);
                }
            }
            foreach (var n in g.Node)
            {
                foreach (var i in n.Input)
                {
                    if (i.Length > 0 && !local.Contains(i))
                    {
                        captured.Add(i);
                    }
                }
                foreach (var a in n.Attribute)
                {
                    var inner = CapturedNames(a);
                    inner.ExceptWith(local);
                    captured.UnionWith(inner);
                }
            }
        }
    }
}
