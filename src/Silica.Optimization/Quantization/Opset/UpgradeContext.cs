using System.Runtime.InteropServices;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;
using Silica.Onnx.ShapeInference;

namespace Silica.Optimization.Quantization;

/// <summary>What the adapters share: the graph, new constants, node rebuilding, and value types of the model as it was.</summary>
internal sealed class UpgradeContext
{
    private readonly Lazy<Dictionary<string, TensorType>> _types;

    /// <param name="model">The model, before any rewrite.</param>
    /// <param name="needsTypes">
    /// Whether an adapter will ask for value types: then the model is copied now, because types come from shape
    /// inference on the model as it was (inference follows the old opset's rules, and it overwrites value types).
    /// </param>
    public UpgradeContext(OnnxModel model, bool needsTypes)
    {
        Graph = model.Graph;
        var bytes = needsTypes ? model.ToBytes() : null;
        _types = new Lazy<Dictionary<string, TensorType>>(() => bytes is null ? [] : InferTypes(bytes));
    }

    public OnnxGraph Graph { get; }

    /// <summary>The value's tensor type as declared, or as inferred on the original model; null when neither knows.</summary>
    public TensorType? TypeOf(Value value) =>
        value.Type is { Shape: not null } known ? known : _types.Value.GetValueOrDefault(value.Name) ?? value.Type;

    /// <summary>A new int64 initializer named after the node.</summary>
    public Value Ints(Node node, string what, long[] values) =>
        Graph.AddInitializer(TensorData.FromInt64s(Graph.UniqueName($"{node.Name}_{what}"), [values.Length], values));

    /// <summary>A new scalar initializer of the element type of <paramref name="like"/> (float when unknown).</summary>
    /// <exception cref="NotSupportedException">The element type is not a floating-point type.</exception>
    public Value Scalar(Node node, string what, double value, Value like)
    {
        var type = TypeOf(like)?.ElementType ?? TensorDataType.Float;
        var name = Graph.UniqueName($"{node.Name}_{what}");
        var tensor = type switch
        {
            TensorDataType.Float => TensorData.FromFloats(name, [], [(float)value]),
            TensorDataType.Double => TensorData.FromRaw(name, type, [], BitConverter.GetBytes(value)),
            TensorDataType.Float16 => TensorData.FromRaw(name, type, [], MemoryMarshal.AsBytes<Half>([(Half)value]).ToArray()),
            _ => throw new NotSupportedException($"cannot upgrade {node.OpType} node '{node.Name}': its input is {type}, not a floating-point type"),
        };
        return Graph.AddInitializer(tensor);
    }

    /// <summary>
    /// Replaces <paramref name="node"/> by one with the same name and outputs (nodes have a fixed input list, so a node
    /// whose inputs change is rebuilt).
    /// </summary>
    public Node Rebuild(Node node, string opType, Value?[] inputs, IEnumerable<AttributeProto> attributes, string[]? outputs = null)
    {
        outputs ??= [.. node.Outputs.Select(o => o?.Name ?? "")];
        var attrs = attributes.ToList();
        var name = node.Name;
        Graph.RemoveNode(node);
        return Graph.AddNode(opType, inputs, outputs, attrs, name, node.Domain);
    }

    /// <summary>The node's attributes except the named ones.</summary>
    public static AttributeProto[] Without(Node node, params string[] names) => [.. node.Attributes.Where(a => !names.Contains(a.Name))];

    /// <summary>The float values of a constant input (an initializer or a Constant node's tensor); null when computed at run time.</summary>
    public static double[]? ConstantValues(Value? value) =>
        value?.Initializer is { } init ? TensorData.ToDoubleArray(init)
        : value?.Producer is { OpType: "Constant" } c && c.Attributes.GetTensor("value") is { } t ? TensorData.ToDoubleArray(t)
        : null;

    private static Dictionary<string, TensorType> InferTypes(byte[] bytes)
    {
        var copy = OnnxModel.Load(bytes);
        ShapeInferencer.Infer(copy);
        var types = new Dictionary<string, TensorType>();
        foreach (var (name, value) in copy.Graph.Values)
        {
            if (value.Type is { } t)
            {
                types[name] = t;
            }
        }
        return types;
    }
}
