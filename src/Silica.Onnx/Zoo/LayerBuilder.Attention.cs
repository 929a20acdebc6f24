using Silica.Onnx.Building;
using Silica.Onnx.Graph;

namespace Silica.Onnx.Zoo;

/// <summary>Multi-head attention pieces shared by the encoder and decoder families.</summary>
internal sealed partial class LayerBuilder
{
    /// <summary>The sequence length of a [batch, seq] input as an int64 scalar (Shape then Gather), so no dimension is baked in.</summary>
    public Value SequenceLength(Value tokens) =>
        Node("Gather", [Node("Shape", [tokens]), Int64Scalar(1)], Attr.Int("axis", 0));

    /// <summary>Position ids 0..seq-1 as a [seq] int64 tensor (Range over the runtime sequence length).</summary>
    public Value PositionIds(Value sequenceLength) =>
        Node("Range", [Int64Scalar(0), sequenceLength, Int64Scalar(1)]);

    /// <summary>
    /// [batch, seq, heads*headDim] to [batch, heads, seq, headDim] (or [batch, heads, headDim, seq] for keys,
    /// which the exporter transposes once instead of transposing inside the MatMul). The Reshape target
    /// holds 0s so batch and seq stay free.
    /// </summary>
    public Value SplitHeads(Value x, long heads, long headDim, bool transposeForKeys = false)
    {
        var split = Node("Reshape", [x, Int64s(0, 0, heads, headDim)]);
        return transposeForKeys
            ? Node("Transpose", [split], Attr.Ints("perm", 0, 2, 3, 1))
            : Node("Transpose", [split], Attr.Ints("perm", 0, 2, 1, 3));
    }

    /// <summary>[batch, heads, seq, headDim] back to [batch, seq, hidden].</summary>
    public Value MergeHeads(Value x, long hidden) =>
        Node("Reshape", [Node("Transpose", [x], Attr.Ints("perm", 0, 2, 1, 3)), Int64s(0, 0, hidden)]);

    /// <summary>Q·Kᵀ / sqrt(headDim), as a Div by the constant, the way both BERT and GPT-2 export it.</summary>
    public Value AttentionScores(Value queries, Value keysTransposed, long headDim) =>
        Node("Div", [Node("MatMul", [queries, keysTransposed]), Scalar(MathF.Sqrt(headDim))]);

    /// <summary>Softmax over the key axis, then the weighted sum of the values.</summary>
    public Value AttendValues(Value scores, Value values) =>
        Node("MatMul", [Node("Softmax", [scores], Attr.Int("axis", -1)), values]);
}
