using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Onnx.Graph;

/// <summary>
/// A named tensor in a graph: a graph input, an initializer (weight), or the output of one node.
/// Tracks its producer and consumers so passes can walk the graph in either direction.
/// </summary>
public sealed class Value
{
    private readonly List<Node> _consumers = [];

    internal Value(string name) => Name = name;

    /// <summary>The unique name of the value in its graph.</summary>
    public string Name { get; internal set; }

    /// <summary>The static type: declared in the file or inferred; null when unknown.</summary>
    public TensorType? Type { get; set; }

    /// <summary>The node that produces this value, or null for graph inputs and initializers.</summary>
    public Node? Producer { get; internal set; }

    /// <summary>Nodes that read this value (a node appears once per input slot it uses).</summary>
    public IReadOnlyList<Node> Consumers => _consumers;

    /// <summary>The constant data when this value is an initializer; null otherwise.</summary>
    public TensorProto? Initializer { get; internal set; }

    /// <summary>True when the value is an initializer (a weight or constant stored in the model).</summary>
    public bool IsInitializer => Initializer is not null;

    /// <summary>True when the value is listed among the graph's inputs.</summary>
    public bool IsGraphInput { get; internal set; }

    /// <summary>True when the value is listed among the graph's outputs.</summary>
    public bool IsGraphOutput { get; internal set; }

    /// <summary>The value-info declared in the file (kept so an unchanged model saves unchanged).</summary>
    public ValueInfoProto? DeclaredInfo { get; internal set; }

    /// <summary>True when a sparse initializer in the file defines this value.</summary>
    public bool IsSparseInitializer { get; internal set; }

    internal void AddConsumer(Node node) => _consumers.Add(node);

    internal void RemoveConsumer(Node node) => _consumers.Remove(node);

    /// <summary>Name and type.</summary>
    public override string ToString() => $"{Name}: {Type?.ToString() ?? "?"}";
}
