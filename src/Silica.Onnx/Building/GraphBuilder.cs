using System.Runtime.InteropServices;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Onnx.Building;

/// <summary>
/// Builds ONNX graphs in code: inputs, seeded weights (or weightless declarations), nodes and outputs.
/// Used by the model zoo and by tests that need small hand-made graphs.
/// </summary>
public sealed class GraphBuilder
{
    private SeededRandom _random;
    private int _nodeCount;

    /// <summary>Starts a graph.</summary>
    /// <param name="name">Graph name.</param>
    /// <param name="opset">Default-domain opset the nodes are written for.</param>
    /// <param name="seed">Seed for weight values.</param>
    /// <param name="withWeights">False declares initializers without data (for analysis and prediction only).</param>
    public GraphBuilder(string name, long opset = 17, ulong seed = 42, bool withWeights = true)
    {
        Graph = new OnnxGraph(name);
        Opset = opset;
        WithWeights = withWeights;
        _random = new SeededRandom(seed);
    }

    /// <summary>The graph being built.</summary>
    public OnnxGraph Graph { get; }

    /// <summary>The default-domain opset version.</summary>
    public long Opset { get; }

    /// <summary>Whether initializers get data.</summary>
    public bool WithWeights { get; }

    /// <summary>Declares a graph input; dims may mix numbers and symbols (<c>"batch"</c>).</summary>
    public Value Input(string name, TensorDataType type, params Dim[] dims) =>
        Graph.AddInput(name, new TensorType(type, new TensorShape(dims)));

    /// <summary>Adds a float weight filled as <paramref name="fill"/>; <paramref name="fanIn"/> scales <see cref="WeightFill.FanIn"/>.</summary>
    public Value Weight(string name, long[] dims, WeightFill fill = WeightFill.FanIn, long fanIn = 0)
    {
        if (!WithWeights)
        {
            return Graph.AddInitializer(TensorData.Weightless(name, TensorDataType.Float, dims));
        }
        var count = checked((int)dims.Aggregate(1L, (a, b) => checked(a * b)));
        // Fill the raw_data bytes in place: one array per tensor, which matters for the 1.3 GB zoo models.
        var raw = new byte[checked(count * sizeof(float))];
        var values = MemoryMarshal.Cast<byte, float>(raw.AsSpan());
        switch (fill)
        {
            case WeightFill.Ones:
                values.Fill(1f);
                break;
            case WeightFill.Zeros:
                break;
            case WeightFill.Small:
                for (var i = 0; i < count; i++)
                {
                    values[i] = 0.02f * _random.NextSigned();
                }
                break;
            default:
                var bound = (float)Math.Sqrt(3.0 / Math.Max(1, fanIn > 0 ? fanIn : dims.Length > 1 ? count / dims[0] : count));
                for (var i = 0; i < count; i++)
                {
                    values[i] = bound * _random.NextSigned();
                }
                break;
        }
        return Graph.AddInitializer(TensorData.FromRaw(name, TensorDataType.Float, dims, raw));
    }

    /// <summary>Adds a small constant initializer that is always stored (shapes, axes), even in weightless models.</summary>
    public Value ConstantInt64(string name, params long[] values) =>
        Graph.AddInitializer(TensorData.FromInt64s(Graph.UniqueName(name), [values.Length], values));

    /// <summary>Adds a float constant initializer that is always stored.</summary>
    public Value ConstantFloat(string name, long[] dims, params float[] values) =>
        Graph.AddInitializer(TensorData.FromFloats(Graph.UniqueName(name), dims, values));

    /// <summary>Adds a scalar float constant initializer that is always stored.</summary>
    public Value ScalarFloat(string name, float value) =>
        Graph.AddInitializer(TensorData.FromRaw(Graph.UniqueName(name), TensorDataType.Float, [], MemoryMarshal.AsBytes([value]).ToArray()));

    /// <summary>Adds a node with one output and returns that output.</summary>
    public Value Node(string opType, IReadOnlyList<Value?> inputs, params AttributeProto[] attributes) =>
        Node(opType, inputs, 1, attributes)[0];

    /// <summary>Adds a node with <paramref name="outputCount"/> outputs and returns them.</summary>
    public Value[] Node(string opType, IReadOnlyList<Value?> inputs, int outputCount, params AttributeProto[] attributes)
    {
        var name = $"{opType}_{_nodeCount++}";
        var outputs = Enumerable.Range(0, outputCount).Select(i => Graph.UniqueName(outputCount == 1 ? name : $"{name}_out{i}")).ToArray();
        var node = Graph.AddNode(opType, inputs, outputs, attributes, name);
        return [.. node.Outputs.Select(o => o!)];
    }

    /// <summary>Adds a node in a non-default domain (e.g. <c>com.microsoft</c>).</summary>
    public Value DomainNode(string domain, string opType, IReadOnlyList<Value?> inputs, params AttributeProto[] attributes)
    {
        var name = $"{opType}_{_nodeCount++}";
        var node = Graph.AddNode(opType, inputs, [Graph.UniqueName(name)], attributes, name, domain);
        return node.Outputs[0]!;
    }

    /// <summary>Marks a value as a graph output, renaming it to <paramref name="name"/> when given.</summary>
    public Value Output(Value value, string? name = null, TensorType? type = null)
    {
        if (name is not null && name != value.Name)
        {
            value = Node("Identity", [value]);
            Rename(value, name);
        }
        if (type is not null)
        {
            value.Type = type;
        }
        Graph.AddOutput(value);
        return value;
    }

    /// <summary>Wraps the graph in a model that imports the builder's opset.</summary>
    public OnnxModel Build(IReadOnlyDictionary<string, string>? metadata = null)
    {
        var model = new OnnxModel(Graph, Opset);
        if (!WithWeights)
        {
            model.SetMetadata(OnnxModel.WeightlessMetadataKey, "absent");
        }
        if (metadata is not null)
        {
            foreach (var (k, v) in metadata)
            {
                model.SetMetadata(k, v);
            }
        }
        return model;
    }

    private void Rename(Value value, string name) => Graph.RenameValue(value, name);
}
