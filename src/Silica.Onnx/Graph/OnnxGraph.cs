using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;
using Silica.Onnx.Serialization;

namespace Silica.Onnx.Graph;

/// <summary>
/// A mutable ONNX computation graph: values, nodes, inputs, outputs and initializers, with producer and
/// consumer links. Built from a <see cref="GraphProto"/> and written back to one; what the IR does not
/// model (doc strings, quantization annotations, sparse initializers, subgraph attributes) is kept as is.
/// </summary>
public sealed partial class OnnxGraph
{
    private readonly Dictionary<string, Value> _values = new(StringComparer.Ordinal);
    private readonly List<Node> _nodes = [];
    private readonly List<Value> _inputs = [];
    private readonly List<Value> _outputs = [];
    private readonly List<Value> _initializers = [];
    private readonly List<string> _valueInfoOrder = [];
    private int _generatedNames;

    /// <summary>Creates an empty graph.</summary>
    public OnnxGraph(string name = "main")
    {
        Name = name;
        Shell = new GraphProto();
    }

    /// <summary>The graph's name.</summary>
    public string Name { get; set; }

    /// <summary>Graph fields the IR keeps verbatim (doc string, annotations, sparse initializers, metadata).</summary>
    internal GraphProto Shell { get; private set; }

    /// <summary>Nodes in their current order (file order unless changed).</summary>
    public IReadOnlyList<Node> Nodes => _nodes;

    /// <summary>Graph inputs in declaration order (may include initializers for old IR versions).</summary>
    public IReadOnlyList<Value> Inputs => _inputs;

    /// <summary>Graph outputs in declaration order.</summary>
    public IReadOnlyList<Value> Outputs => _outputs;

    /// <summary>Initializers in file order.</summary>
    public IReadOnlyList<Value> Initializers => _initializers;

    /// <summary>All values by name.</summary>
    public IReadOnlyDictionary<string, Value> Values => _values;

    /// <summary>Graph inputs that are not initializers: what a caller must feed.</summary>
    public IEnumerable<Value> RuntimeInputs => _inputs.Where(v => !v.IsInitializer);

    /// <summary>The value with this name, or null.</summary>
    public Value? FindValue(string name) => _values.GetValueOrDefault(name);

    /// <summary>The value with this name, created (untyped, unproduced) when missing.</summary>
    public Value GetOrAddValue(string name)
    {
        if (!_values.TryGetValue(name, out var v))
        {
            v = new Value(name);
            _values.Add(name, v);
        }
        return v;
    }

    /// <summary>A name not yet used in the graph, starting with <paramref name="prefix"/>.</summary>
    public string UniqueName(string prefix)
    {
        if (!_values.ContainsKey(prefix))
        {
            return prefix;
        }
        string name;
        do
        {
            name = $"{prefix}_{++_generatedNames}";
        }
        while (_values.ContainsKey(name));
        return name;
    }

    /// <summary>Declares a graph input of the given type.</summary>
    /// <exception cref="ArgumentException">The name is already used.</exception>
    public Value AddInput(string name, TensorType type)
    {
        if (_values.ContainsKey(name))
        {
            throw new ArgumentException($"value '{name}' already exists", nameof(name));
        }
        var v = GetOrAddValue(name);
        v.Type = type;
        v.IsGraphInput = true;
        _inputs.Add(v);
        return v;
    }

    /// <summary>Adds an initializer (a constant tensor stored in the model).</summary>
    /// <exception cref="ArgumentException">The name is already used.</exception>
    public Value AddInitializer(TensorProto tensor)
    {
        if (_values.TryGetValue(tensor.Name, out var existing) && (existing.IsInitializer || existing.Producer is not null))
        {
            throw new ArgumentException($"value '{tensor.Name}' already exists", nameof(tensor));
        }
        var v = GetOrAddValue(tensor.Name);
        v.Initializer = tensor;
        v.Type = TypeProtos.OfTensor(tensor);
        _initializers.Add(v);
        return v;
    }

    /// <summary>Marks a value as a graph output.</summary>
    public void AddOutput(Value value)
    {
        value.IsGraphOutput = true;
        _outputs.Add(value);
    }

    /// <summary>Removes all graph outputs (to declare a new set).</summary>
    public void ClearOutputs()
    {
        foreach (var v in _outputs)
        {
            v.IsGraphOutput = false;
        }
        _outputs.Clear();
    }

    /// <summary>
    /// Appends a node. Inputs may be null for omitted optional inputs; each output name must be new
    /// (or name a value nobody produces yet). Returns the node.
    /// </summary>
    /// <exception cref="ArgumentException">An output is already produced by another node or is an initializer.</exception>
    public Node AddNode(string opType, IReadOnlyList<Value?> inputs, IReadOnlyList<string> outputNames,
        IEnumerable<AttributeProto>? attributes = null, string? name = null, string domain = "")
    {
        var proto = new NodeProto { OpType = opType };
        if (domain.Length > 0)
        {
            proto.Domain = domain;
        }
        if (name is not null)
        {
            proto.Name = name;
        }
        if (attributes is not null)
        {
            proto.Attribute.AddRange(attributes);
        }
        var outs = new Value?[outputNames.Count];
        for (var i = 0; i < outs.Length; i++)
        {
            if (outputNames[i].Length == 0)
            {
                continue;
            }
            var v = GetOrAddValue(outputNames[i]);
            if (v.Producer is not null || v.IsInitializer)
            {
                throw new ArgumentException($"value '{v.Name}' is already defined", nameof(outputNames));
            }
            outs[i] = v;
        }
        var node = new Node(proto, [.. inputs], outs) { Name = name ?? NextNodeName(opType) };
        Attach(node);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Removes a node, unlinking it from its inputs and leaving its outputs unproduced.</summary>
    public void RemoveNode(Node node)
    {
        if (!_nodes.Remove(node))
        {
            return;
        }
        foreach (var input in node.Inputs)
        {
            input?.RemoveConsumer(node);
        }
        foreach (var output in node.Outputs)
        {
            if (output is not null && output.Producer == node)
            {
                output.Producer = null;
            }
        }
    }

    /// <summary>Points input slot <paramref name="index"/> of <paramref name="node"/> at another value.</summary>
    public void ReplaceInput(Node node, int index, Value? value)
    {
        node.Inputs[index]?.RemoveConsumer(node);
        node.SetInput(index, value);
        value?.AddConsumer(node);
    }

    /// <summary>Makes every consumer of <paramref name="from"/> (and the graph outputs) use <paramref name="to"/>.</summary>
    public void ReplaceAllUses(Value from, Value to)
    {
        foreach (var consumer in from.Consumers.ToArray())
        {
            for (var i = 0; i < consumer.Inputs.Count; i++)
            {
                if (consumer.Inputs[i] == from)
                {
                    ReplaceInput(consumer, i, to);
                }
            }
        }
        for (var i = 0; i < _outputs.Count; i++)
        {
            if (_outputs[i] == from)
            {
                from.IsGraphOutput = false;
                to.IsGraphOutput = true;
                _outputs[i] = to;
            }
        }
    }

    /// <summary>Renames a value (its producer, consumers and declarations follow).</summary>
    /// <exception cref="ArgumentException">The new name is already used.</exception>
    public void RenameValue(Value value, string newName)
    {
        if (value.Name == newName)
        {
            return;
        }
        if (_values.ContainsKey(newName))
        {
            throw new ArgumentException($"value '{newName}' already exists", nameof(newName));
        }
        _values.Remove(value.Name);
        var i = _valueInfoOrder.IndexOf(value.Name);
        if (i >= 0)
        {
            _valueInfoOrder[i] = newName;
        }
        value.Name = newName;
        _values.Add(newName, value);
    }

    /// <summary>Removes an initializer (when nothing uses it any more).</summary>
    public void RemoveInitializer(Value value)
    {
        if (_initializers.Remove(value))
        {
            value.Initializer = null;
            if (value.Consumers.Count == 0 && !value.IsGraphInput && !value.IsGraphOutput && value.Producer is null)
            {
                _values.Remove(value.Name);
            }
        }
    }

    /// <summary>Replaces the node order (must contain exactly the graph's nodes).</summary>
    /// <exception cref="ArgumentException">The list is not a permutation of the graph's nodes.</exception>
    public void ReorderNodes(IReadOnlyList<Node> order)
    {
        if (order.Count != _nodes.Count || order.Distinct().Count() != order.Count || order.Any(n => !_nodes.Contains(n)))
        {
            throw new ArgumentException("order must be a permutation of the graph's nodes", nameof(order));
        }
        _nodes.Clear();
        _nodes.AddRange(order);
    }

    /// <summary>Sets every symbolic dimension named in <paramref name="bindings"/> on all known value types.</summary>
    public void BindDimensions(IReadOnlyDictionary<string, long> bindings)
    {
        foreach (var v in _values.Values)
        {
            if (v.Type is not null)
            {
                v.Type = v.Type.Bind(bindings);
            }
        }
    }

    /// <summary>The distinct symbolic dimension names used by graph inputs, in order of appearance.</summary>
    public IReadOnlyList<string> SymbolicDimensions() =>
        [.. _inputs.Where(i => i.Type?.Shape is not null).SelectMany(i => i.Type!.Shape!).Where(d => d.IsSymbolic)
            .Select(d => d.Symbol!).Distinct(StringComparer.Ordinal)];

    private string NextNodeName(string opType)
    {
        return $"{opType}_{_nodes.Count}";
    }

    private void Attach(Node node)
    {
        foreach (var input in node.Inputs)
        {
            input?.AddConsumer(node);
        }
        foreach (var output in node.Outputs)
        {
            if (output is not null)
            {
                output.Producer = node;
            }
        }
    }
}
