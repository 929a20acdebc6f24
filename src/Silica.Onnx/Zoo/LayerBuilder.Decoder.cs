using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Onnx.Zoo;

/// <summary>The inputs of one decoder step in the Optimum with-past convention, as graph values.</summary>
internal sealed record DecoderStepInputs(Value InputIds, Value AttentionMask, Value PositionIds, Value[] PastKeys, Value[] PastValues);

/// <summary>Pieces of KV-cache decoders (GPT-2 with past, Llama) in the Hugging Face Optimum export convention.</summary>
internal sealed partial class LayerBuilder
{
    /// <summary>Symbol of the cached sequence length (0 on the first, prefill step).</summary>
    public const string PastSeq = "past_seq";

    /// <summary>Symbol of past_seq + seq: the attention mask and the present tensors span it.</summary>
    public const string TotalSeq = "total_seq";

    // Masked scores are filled with this rather than -inf: a fully masked row (a left-padding query) then
    // softmaxes to a harmless uniform row instead of NaN, and exp(-1e4) is exactly 0 in float32.
    private const float MaskedScore = -10000f;

    /// <summary>
    /// Declares <c>input_ids</c>, <c>attention_mask</c>, <c>position_ids</c> and the per-layer
    /// <c>past_key_values.N.key|value</c> float[batch, kvHeads, past_seq, headDim] inputs, in Optimum's order.
    /// </summary>
    public DecoderStepInputs DecoderInputs(int layers, long kvHeads, long headDim)
    {
        var ids = Graph.Input("input_ids", TensorDataType.Int64, "batch", "seq");
        var mask = Graph.Input("attention_mask", TensorDataType.Int64, "batch", TotalSeq);
        var positions = Graph.Input("position_ids", TensorDataType.Int64, "batch", "seq");
        var keys = new Value[layers];
        var values = new Value[layers];
        for (var i = 0; i < layers; i++)
        {
            keys[i] = Graph.Input($"past_key_values.{i}.key", TensorDataType.Float, "batch", kvHeads, PastSeq, headDim);
            values[i] = Graph.Input($"past_key_values.{i}.value", TensorDataType.Float, "batch", kvHeads, PastSeq, headDim);
        }
        return new DecoderStepInputs(ids, mask, positions, keys, values);
    }

    /// <summary>Marks present.N.key|value float[batch, kvHeads, total_seq, headDim] as outputs.</summary>
    public void PresentOutputs(IReadOnlyList<(Value Key, Value Value)> present, long kvHeads, long headDim)
    {
        var type = new TensorType(TensorDataType.Float, new TensorShape("batch", kvHeads, TotalSeq, headDim));
        for (var i = 0; i < present.Count; i++)
        {
            Graph.Output(present[i].Key, $"present.{i}.key", type);
            Graph.Output(present[i].Value, $"present.{i}.value", type);
        }
    }

    /// <summary>
    /// The bool [batch, 1, seq, past_seq + seq] mask of keys each new query may attend: key position j is
    /// allowed for query i when j ≤ past_seq + i (causal, offset by the cache) and attention_mask[b, j] is 1
    /// (padding, left or right, is never attended).
    /// </summary>
    public Value CausalPaddingMask(DecoderStepInputs inputs)
    {
        var past = Node("Gather", [Node("Shape", [inputs.PastKeys[0]]), Int64Scalar(2)], Attr.Int("axis", 0));
        var total = Node("Add", [past, SequenceLength(inputs.InputIds)]);
        var queryPositions = Node("Unsqueeze", [Node("Range", [past, total, Int64Scalar(1)]), Int64s(1)]);
        var keyPositions = Node("Range", [Int64Scalar(0), total, Int64Scalar(1)]);
        var causal = Node("LessOrEqual", [keyPositions, queryPositions]);
        var padding = Node("Cast", [Node("Unsqueeze", [inputs.AttentionMask, Int64s(1, 2)])], Attr.Int("to", (long)TensorDataType.Bool));
        return Node("And", [causal, padding]);
    }

    /// <summary>Appends this step's keys or values to the cache along the sequence axis.</summary>
    public Value AppendToCache(Value past, Value current) => Node("Concat", [past, current], Attr.Int("axis", 2));

    /// <summary>
    /// Scaled dot-product attention of queries [batch, heads, seq, headDim] over cached keys and values
    /// [batch, kvHeads, total, headDim]; kv heads are repeated heads/kvHeads times (grouped-query attention)
    /// the way Hugging Face's <c>repeat_kv</c> exports (Unsqueeze, Expand, Reshape).
    /// </summary>
    public Value CachedAttention(Value queries, Value keys, Value values, Value allowed, long heads, long kvHeads, long headDim)
    {
        keys = RepeatKv(keys, heads, kvHeads, headDim);
        values = RepeatKv(values, heads, kvHeads, headDim);
        var scores = AttentionScores(queries, Node("Transpose", [keys], Attr.Ints("perm", 0, 1, 3, 2)), headDim);
        scores = Node("Where", [allowed, scores, Scalar(MaskedScore)]);
        return AttendValues(scores, values);
    }

    /// <summary>A linear layer without bias (Llama's projections): MatMul with a [in, out] weight.</summary>
    public Value LinearNoBias(Value x, string name, long inFeatures, long outFeatures, long fanIn = 0) =>
        Node("MatMul", [x, Graph.Weight($"{name}.weight", [inFeatures, outFeatures], WeightFill.FanIn, fanIn > 0 ? fanIn : inFeatures)]);

    /// <summary>RMSNorm as Llama exports it: x / sqrt(mean(x²) + eps) * weight.</summary>
    public Value RmsNorm(Value x, string name, long hidden, float epsilon)
    {
        var weight = NormParameter($"{name}.weight", hidden, 0.8f, 1.2f);
        var meanSquare = Node("ReduceMean", [Node("Pow", [x, Scalar(2f)])], Attr.Ints("axes", -1), Attr.Int("keepdims", 1));
        var inverse = Node("Reciprocal", [Node("Sqrt", [Node("Add", [meanSquare, Scalar(epsilon)])])]);
        return Node("Mul", [weight, Node("Mul", [x, inverse])]);
    }

    /// <summary>SiLU (x * sigmoid(x)), as torch exports <c>F.silu</c>.</summary>
    public Value Silu(Value x) => Node("Mul", [x, Node("Sigmoid", [x])]);

    /// <summary>
    /// Rotary position embedding tables for <paramref name="positionIds"/> [batch, seq]: cos and sin of
    /// position · θ^(-2i/headDim), each half repeated (Hugging Face's <c>cat(freqs, freqs)</c>), shaped
    /// [batch, 1, seq, headDim] to broadcast over heads. Computed in the graph, so no table caps the context.
    /// </summary>
    public (Value Cos, Value Sin) RotaryTables(Value positionIds, long headDim, double theta)
    {
        // inv_freq = 1 / θ^(arange(0, half) * 2 / headDim), computed as Hugging Face computes it, in float32.
        var half = headDim / 2;
        var index = Node("Range", [Scalar(0f), Scalar(half), Scalar(1f)]);
        var inv = Node("Reciprocal", [Node("Pow", [Scalar((float)theta), Node("Mul", [index, Scalar(2f / headDim)])])]);
        var positions = Node("Unsqueeze", [Node("Cast", [positionIds], Attr.Int("to", (long)TensorDataType.Float)), Int64s(-1)]);
        var freqs = Node("Mul", [positions, inv]);
        var angles = Node("Unsqueeze", [Node("Concat", [freqs, freqs], Attr.Int("axis", -1)), Int64s(1)]);
        return (Node("Cos", [angles]), Node("Sin", [angles]));
    }

    /// <summary>x · cos + rotate_half(x) · sin, where rotate_half(x) = cat(-x[half:], x[:half]).</summary>
    public Value ApplyRotary(Value x, (Value Cos, Value Sin) tables, long headDim)
    {
        var half = headDim / 2;
        var halves = Graph.Node("Split", [x, Int64s(half, half)], 2, Attr.Int("axis", -1));
        var rotated = Node("Concat", [Node("Neg", [halves[1]]), halves[0]], Attr.Int("axis", -1));
        return Node("Add", [Node("Mul", [x, tables.Cos]), Node("Mul", [rotated, tables.Sin])]);
    }

    private Value RepeatKv(Value x, long heads, long kvHeads, long headDim)
    {
        if (heads == kvHeads)
        {
            return x;
        }
        var expanded = Node("Expand", [Node("Unsqueeze", [x, Int64s(2)]), Int64s(1, 1, heads / kvHeads, 1, 1)]);
        return Node("Reshape", [expanded, Int64s(0, heads, -1, headDim)]);
    }
}
