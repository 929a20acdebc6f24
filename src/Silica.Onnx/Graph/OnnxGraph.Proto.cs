using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;
using Silica.Onnx.Serialization;

namespace Silica.Onnx.Graph;

public sealed partial class OnnxGraph
{
    private readonly Dictionary<Value, ValueInfoProto> _inputInfos = [];
    private readonly Dictionary<Value, ValueInfoProto> _outputInfos = [];

    /// <summary>
    /// Builds the IR from a parsed graph. The message is taken over: its node, initializer and value-info
    /// lists are moved into the IR and the rest is kept as the shell written back on save.
    /// </summary>
    /// <exception cref="OnnxFormatException">The graph is malformed (duplicate definitions, nameless values).</exception>
    public static OnnxGraph FromProto(GraphProto proto)
    {
        var g = new OnnxGraph(proto.Name);
        foreach (var t in proto.Initializer)
        {
            if (string.IsNullOrEmpty(t.Name))
            {
                throw new OnnxFormatException("an initializer has no name");
            }
            if (g._values.TryGetValue(t.Name, out var dup) && dup.IsInitializer)
            {
                throw new OnnxFormatException($"initializer '{t.Name}' is defined twice");
            }
            if (!TensorDataTypes.IsDefined(t.DataType))
            {
                throw new OnnxFormatException($"initializer '{t.Name}' has unknown data type {t.DataType}");
            }
            g.AddInitializer(t);
        }
        foreach (var s in proto.SparseInitializer)
        {
            var name = s.Values?.Name;
            if (string.IsNullOrEmpty(name))
            {
                throw new OnnxFormatException("a sparse initializer has no name");
            }
            var v = g.GetOrAddValue(name);
            v.IsSparseInitializer = true;
            v.Type = new TensorType((TensorDataType)s.Values!.DataType, TensorShape.Of([.. s.Dims.Select(d => Math.Max(d, 0))]));
        }
        foreach (var vi in proto.Input)
        {
            var v = g.GetOrAddValue(RequireName(vi, "graph input"));
            if (v.IsGraphInput)
            {
                throw new OnnxFormatException($"graph input '{v.Name}' is declared twice");
            }
            v.IsGraphInput = true;
            if (!v.IsInitializer)
            {
                v.Type = TypeProtos.ToTensorType(vi.Type);
            }
            g._inputs.Add(v);
            g._inputInfos[v] = vi;
        }
        foreach (var np in proto.Node)
        {
            var inputs = new Value?[np.Input.Count];
            for (var i = 0; i < inputs.Length; i++)
            {
                inputs[i] = np.Input[i].Length == 0 ? null : g.GetOrAddValue(np.Input[i]);
            }
            var outputs = new Value?[np.Output.Count];
            for (var i = 0; i < outputs.Length; i++)
            {
                if (np.Output[i].Length == 0)
                {
                    continue;
                }
                var v = g.GetOrAddValue(np.Output[i]);
                if (v.Producer is not null || v.IsInitializer)
                {
                    throw new OnnxFormatException($"value '{v.Name}' is defined more than once (node '{np.Name}' {np.OpType})");
                }
                outputs[i] = v;
            }
            var node = new Node(np, inputs, outputs) { Name = np.HasName && np.Name.Length > 0 ? np.Name : $"{np.OpType}_{g._nodes.Count}" };
            g.Attach(node);
            g._nodes.Add(node);
        }
        foreach (var vi in proto.ValueInfo)
        {
            var v = g.GetOrAddValue(RequireName(vi, "value info"));
            if (v.DeclaredInfo is not null)
            {
                continue; // a repeated declaration adds nothing; the first one is kept
            }
            v.DeclaredInfo = vi;
            v.Type ??= TypeProtos.ToTensorType(vi.Type);
            g._valueInfoOrder.Add(v.Name);
        }
        foreach (var vi in proto.Output)
        {
            var v = g.GetOrAddValue(RequireName(vi, "graph output"));
            v.IsGraphOutput = true;
            v.Type ??= TypeProtos.ToTensorType(vi.Type);
            g._outputs.Add(v);
            g._outputInfos.TryAdd(v, vi);
        }

        proto.Node.Clear();
        proto.Initializer.Clear();
        proto.Input.Clear();
        proto.Output.Clear();
        proto.ValueInfo.Clear();
        g.Shell = proto;
        return g;
    }

    /// <summary>
    /// Writes the graph as a <see cref="GraphProto"/>. Values keep the value-info declared in the file unless
    /// their type changed; <paramref name="includeInferredTypes"/> also declares every other typed value.
    /// </summary>
    public GraphProto ToProto(bool includeInferredTypes = false)
    {
        var g = Shell.Clone();
        g.Name = Name;
        foreach (var v in _initializers)
        {
            v.Initializer!.Name = v.Name;
            g.Initializer.Add(v.Initializer);
        }
        foreach (var v in _inputs)
        {
            g.Input.Add(InfoFor(v, _inputInfos.GetValueOrDefault(v)));
        }
        foreach (var node in _nodes)
        {
            var np = node.Proto;
            np.Input.Clear();
            foreach (var i in node.Inputs)
            {
                np.Input.Add(i?.Name ?? "");
            }
            np.Output.Clear();
            foreach (var o in node.Outputs)
            {
                np.Output.Add(o?.Name ?? "");
            }
            if (np.HasName)
            {
                np.Name = node.Name;
            }
            g.Node.Add(np);
        }
        foreach (var v in _outputs)
        {
            g.Output.Add(InfoFor(v, _outputInfos.GetValueOrDefault(v)));
        }
        var declared = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in _valueInfoOrder)
        {
            if (_values.TryGetValue(name, out var v) && v.DeclaredInfo is not null && declared.Add(name))
            {
                g.ValueInfo.Add(InfoFor(v, v.DeclaredInfo));
            }
        }
        if (includeInferredTypes)
        {
            foreach (var node in _nodes)
            {
                foreach (var o in node.Outputs)
                {
                    if (o is { Type: not null, IsGraphOutput: false } && declared.Add(o.Name))
                    {
                        g.ValueInfo.Add(new ValueInfoProto { Name = o.Name, Type = TypeProtos.ToProto(o.Type) });
                    }
                }
            }
        }
        return g;
    }

    private static ValueInfoProto InfoFor(Value v, ValueInfoProto? declared)
    {
        if (declared is not null)
        {
            var declaredType = TypeProtos.ToTensorType(declared.Type);
            // Keep the file's declaration unless the IR learned a different tensor type; non-tensor
            // declarations (sequences, maps) are kept as they are.
            if (v.Type is null || declaredType is null || declaredType.Equals(v.Type) || v.IsInitializer)
            {
                declared.Name = v.Name;
                return declared;
            }
            var copy = declared.Clone();
            copy.Name = v.Name;
            copy.Type = TypeProtos.ToProto(v.Type);
            return copy;
        }
        var info = new ValueInfoProto { Name = v.Name };
        if (v.Type is not null)
        {
            info.Type = TypeProtos.ToProto(v.Type);
        }
        return info;
    }

    private static string RequireName(ValueInfoProto vi, string what) =>
        string.IsNullOrEmpty(vi.Name) ? throw new OnnxFormatException($"a {what} has no name") : vi.Name;
}
