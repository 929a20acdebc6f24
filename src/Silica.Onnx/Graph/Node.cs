using Silica.Onnx.Protobuf;

namespace Silica.Onnx.Graph;

/// <summary>One operator application in a graph: <c>outputs = OpType(inputs; attributes)</c>.</summary>
public sealed class Node
{
    private readonly Value?[] _inputs;
    private readonly Value?[] _outputs;

    internal Node(NodeProto proto, Value?[] inputs, Value?[] outputs)
    {
        Proto = proto;
        _inputs = inputs;
        _outputs = outputs;
        Attributes = new NodeAttributes(proto.Attribute);
    }

    /// <summary>The operator name, e.g. <c>Conv</c>.</summary>
    public string OpType => Proto.OpType;

    /// <summary>The operator set domain; empty for the default ONNX domain.</summary>
    public string Domain => Proto.Domain;

    /// <summary>The node's name in the file, or a generated one when it had none.</summary>
    public string Name { get; internal set; } = "";

    /// <summary>Inputs by position; null marks an omitted optional input.</summary>
    public IReadOnlyList<Value?> Inputs => _inputs;

    /// <summary>Outputs by position; null marks an omitted optional output.</summary>
    public IReadOnlyList<Value?> Outputs => _outputs;

    /// <summary>The node's attributes.</summary>
    public NodeAttributes Attributes { get; }

    /// <summary>The node as stored in the file; its input and output names are rewritten on save.</summary>
    internal NodeProto Proto { get; }

    /// <summary>True when the node is in the default ONNX domain (<c>""</c> or <c>ai.onnx</c>).</summary>
    public bool IsDefaultDomain => Domain.Length == 0 || Domain == "ai.onnx";

    /// <summary>The input at <paramref name="index"/>, or null when absent or omitted.</summary>
    public Value? Input(int index) => index < _inputs.Length ? _inputs[index] : null;

    /// <summary>The output at <paramref name="index"/>, or null when absent or omitted.</summary>
    public Value? Output(int index) => index < _outputs.Length ? _outputs[index] : null;

    internal void SetInput(int index, Value? value) => _inputs[index] = value;

    /// <summary><c>Name (OpType)</c>.</summary>
    public override string ToString() => $"{Name} ({OpType})";
}
