using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference;

/// <summary>
/// What an operator's inference function sees of one node: its attributes, the opset in force, the types
/// and known values of its inputs; and where it writes output types and values.
/// </summary>
internal sealed class NodeContext
{
    private readonly IReadOnlyDictionary<Value, KnownTensor> _known;
    private readonly TensorType?[] _outputTypes;
    private readonly KnownTensor?[] _outputValues;

    public NodeContext(Node node, long opset, IReadOnlyDictionary<Value, KnownTensor> known)
    {
        Node = node;
        Opset = opset;
        _known = known;
        _outputTypes = new TensorType?[node.Outputs.Count];
        _outputValues = new KnownTensor?[node.Outputs.Count];
    }

    public Node Node { get; }

    /// <summary>The version of the node's domain imported by the model.</summary>
    public long Opset { get; }

    public NodeAttributes Attributes => Node.Attributes;

    public int InputCount => Node.Inputs.Count;

    public int OutputCount => Node.Outputs.Count;

    public IReadOnlyList<TensorType?> OutputTypes => _outputTypes;

    public IReadOnlyList<KnownTensor?> OutputValues => _outputValues;

    public bool HasInput(int index) => Node.Input(index) is not null;

    /// <summary>The type of a required input.</summary>
    public TensorType InputType(int index)
    {
        var v = Node.Input(index) ?? throw Fail($"input {index} is missing");
        return v.Type ?? throw new ShapeInferenceException($"input '{v.Name}' has no known type", isConsequence: true);
    }

    public TensorDataType InputElementType(int index) => InputType(index).ElementType;

    /// <summary>The shape of a required input; gives up quietly when its rank is unknown (reported upstream).</summary>
    public TensorShape InputShape(int index) =>
        InputType(index).Shape ?? throw new ShapeInferenceException($"input '{Node.Input(index)!.Name}' has unknown rank", isConsequence: true);

    /// <summary>The shape of an optional input, null when absent or of unknown rank.</summary>
    public TensorShape? OptionalInputShape(int index) => Node.Input(index)?.Type?.Shape;

    /// <summary>The known value of an input, or null.</summary>
    public KnownTensor? Known(int index) => Node.Input(index) is { } v ? _known.GetValueOrDefault(v) : null;

    /// <summary>The input's elements when all are known numbers, or null.</summary>
    public long[]? KnownLongs(int index) => Known(index)?.TryGetLongs();

    /// <summary>A list of integers from an attribute (older opsets) or an input (newer ones).</summary>
    /// <returns>The values, or null when absent; <paramref name="known"/> is false when the input exists but its value is not known.</returns>
    public long[]? AttributeOrInputLongs(string attribute, int inputIndex, long inputSinceOpset, out bool known)
    {
        known = true;
        if (Opset < inputSinceOpset)
        {
            return Attributes.GetInts(attribute);
        }
        if (!HasInput(inputIndex))
        {
            return null;
        }
        var values = KnownLongs(inputIndex);
        known = values is not null;
        return values;
    }

    public void SetOutput(int index, TensorDataType type, TensorShape? shape)
    {
        if (index < _outputTypes.Length)
        {
            _outputTypes[index] = new TensorType(type, shape);
        }
    }

    public void SetOutput(int index, TensorType type) => SetOutput(index, type.ElementType, type.Shape);

    /// <summary>Records the output's value; its type follows from the value.</summary>
    public void SetKnown(int index, KnownTensor value)
    {
        if (index < _outputValues.Length && value.Count <= KnownTensor.MaxElements)
        {
            _outputValues[index] = value;
        }
    }

    /// <summary>An exception for an invalid attribute or input, to throw from an inference function.</summary>
    public ShapeInferenceException Fail(string reason) => new(reason);

    /// <summary>An axis in <c>[-rank, rank)</c> made non-negative.</summary>
    public int NormalizeAxis(long axis, int rank)
    {
        if (axis < -rank || axis >= rank)
        {
            throw Fail($"axis {axis} is out of range for rank {rank}");
        }
        return (int)(axis < 0 ? axis + rank : axis);
    }
}
