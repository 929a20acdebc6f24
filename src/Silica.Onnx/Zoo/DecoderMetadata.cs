using System.Globalization;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Onnx.Zoo;

/// <summary>
/// The model metadata keys that describe a KV-cache decoder, so the generation engine and the LLM
/// predictor read the architecture instead of guessing it. The zoo writes all of them; every value is
/// invariant-culture text:
/// <list type="bullet">
/// <item><c>silica.llm.architecture</c>: <c>gpt2</c> or <c>llama</c>.</item>
/// <item><c>silica.llm.layers</c>, <c>silica.llm.hidden</c>, <c>silica.llm.heads</c>, <c>silica.llm.kv_heads</c>,
/// <c>silica.llm.head_dim</c>, <c>silica.llm.intermediate</c>, <c>silica.llm.vocab</c>: integer sizes.</item>
/// <item><c>silica.llm.context_length</c>: the longest prompt plus output, in tokens.</item>
/// <item><c>silica.llm.rope_theta</c>: rotary base θ (rotary models only).</item>
/// <item><c>silica.llm.tokenizer</c>: the vocabulary's tokenizer (<c>gpt2</c>); <c>silica.llm.eos_token_id</c>: its end token.</item>
/// <item><c>silica.llm.weights</c>: <c>synthetic</c> when the weights are seeded pseudo-random values, not a trained checkpoint.</item>
/// </list>
/// The graph itself follows the Hugging Face Optimum with-past convention: inputs <c>input_ids</c>
/// int64[batch, seq], <c>attention_mask</c> int64[batch, total_seq], <c>position_ids</c> int64[batch, seq] and
/// <c>past_key_values.N.key|value</c> float[batch, kv_heads, past_seq, head_dim]; outputs <c>logits</c>
/// float[batch, seq, vocab] and <c>present.N.key|value</c> float[batch, kv_heads, total_seq, head_dim], where
/// total_seq = past_seq + seq. The first step passes past tensors with past_seq = 0.
/// </summary>
public static class DecoderMetadata
{
    /// <summary>Key of the architecture name.</summary>
    public const string ArchitectureKey = "silica.llm.architecture";

    /// <summary>Key of the layer count.</summary>
    public const string LayersKey = "silica.llm.layers";

    /// <summary>Key of the hidden size.</summary>
    public const string HiddenKey = "silica.llm.hidden";

    /// <summary>Key of the query head count.</summary>
    public const string HeadsKey = "silica.llm.heads";

    /// <summary>Key of the key/value head count.</summary>
    public const string KvHeadsKey = "silica.llm.kv_heads";

    /// <summary>Key of the head size.</summary>
    public const string HeadDimKey = "silica.llm.head_dim";

    /// <summary>Key of the MLP inner size.</summary>
    public const string IntermediateKey = "silica.llm.intermediate";

    /// <summary>Key of the vocabulary size.</summary>
    public const string VocabKey = "silica.llm.vocab";

    /// <summary>Key of the context length.</summary>
    public const string ContextLengthKey = "silica.llm.context_length";

    /// <summary>Key of the rotary base θ.</summary>
    public const string RopeThetaKey = "silica.llm.rope_theta";

    /// <summary>Key of the tokenizer name.</summary>
    public const string TokenizerKey = "silica.llm.tokenizer";

    /// <summary>Key of the end-of-sequence token id.</summary>
    public const string EndOfSequenceKey = "silica.llm.eos_token_id";

    /// <summary>Key of the weights' provenance (<c>synthetic</c> for the zoo).</summary>
    public const string WeightsKey = "silica.llm.weights";

    /// <summary>Reads the decoder's architecture, or returns null when the graph has no <c>past_key_values.0.key</c> input (not a KV-cache decoder).</summary>
    /// <remarks>
    /// Layers, kv heads, head dim and the cache type come from the graph (the past inputs' count and shapes) so
    /// they are right for any Optimum export; metadata fills in what the graph cannot show and is ignored where
    /// the graph disagrees. Without metadata, kv heads and head dim must be numbers in the past inputs' shape.
    /// </remarks>
    public static DecoderInfo? TryRead(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var inputs = model.Graph.Inputs.ToDictionary(v => v.Name, StringComparer.Ordinal);
        if (!inputs.TryGetValue(DecoderInfo.PastKeyName(0), out var firstPast) || !inputs.ContainsKey("input_ids"))
        {
            return null;
        }
        var layers = 0;
        while (inputs.ContainsKey(DecoderInfo.PastKeyName(layers)) && inputs.ContainsKey(DecoderInfo.PastValueName(layers)))
        {
            layers++;
        }
        var meta = model.Metadata;
        var shape = firstPast.Type?.Shape;
        var kvHeads = KnownDim(shape, 1) ?? Long(meta, KvHeadsKey);
        var headDim = KnownDim(shape, 3) ?? Long(meta, HeadDimKey);
        if (kvHeads is null || headDim is null)
        {
            return null;
        }
        var logits = model.Graph.Outputs.FirstOrDefault(o => o.Name == "logits")?.Type?.Shape;
        var synthetic = meta.GetValueOrDefault(WeightsKey) == "synthetic";
        return new DecoderInfo
        {
            Architecture = meta.GetValueOrDefault(ArchitectureKey) ?? "unknown",
            Layers = layers,
            KvHeads = kvHeads.Value,
            HeadDim = headDim.Value,
            KvDataType = firstPast.Type?.ElementType ?? TensorDataType.Float,
            Hidden = Long(meta, HiddenKey),
            Heads = Long(meta, HeadsKey),
            Intermediate = Long(meta, IntermediateKey),
            Vocab = (logits is { Rank: > 0 } ? KnownDim(logits, logits.Rank - 1) : null) ?? Long(meta, VocabKey),
            ContextLength = Long(meta, ContextLengthKey),
            RopeTheta = meta.TryGetValue(RopeThetaKey, out var theta) && double.TryParse(theta, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) ? t : null,
            HasPositionIds = inputs.ContainsKey("position_ids"),
            SyntheticWeights = synthetic,
            Tokenizer = meta.GetValueOrDefault(TokenizerKey),
            EndOfSequenceId = Long(meta, EndOfSequenceKey) is { } eos ? (int)eos : null,
        };
    }

    /// <summary>Writes every key for a zoo decoder (weights are always synthetic there).</summary>
    internal static void Write(OnnxModel model, DecoderInfo info)
    {
        static string S(long v) => v.ToString(CultureInfo.InvariantCulture);
        model.SetMetadata(ArchitectureKey, info.Architecture);
        model.SetMetadata(LayersKey, S(info.Layers));
        model.SetMetadata(KvHeadsKey, S(info.KvHeads));
        model.SetMetadata(HeadDimKey, S(info.HeadDim));
        void Optional(string key, long? value)
        {
            if (value is { } v)
            {
                model.SetMetadata(key, S(v));
            }
        }
        Optional(HiddenKey, info.Hidden);
        Optional(HeadsKey, info.Heads);
        Optional(IntermediateKey, info.Intermediate);
        Optional(VocabKey, info.Vocab);
        Optional(ContextLengthKey, info.ContextLength);
        Optional(EndOfSequenceKey, info.EndOfSequenceId);
        if (info.RopeTheta is { } theta)
        {
            model.SetMetadata(RopeThetaKey, theta.ToString("R", CultureInfo.InvariantCulture));
        }
        if (info.Tokenizer is { } tokenizer)
        {
            model.SetMetadata(TokenizerKey, tokenizer);
        }
        if (info.SyntheticWeights)
        {
            model.SetMetadata(WeightsKey, "synthetic");
        }
    }

    private static long? KnownDim(TensorShape? shape, int axis) =>
        shape is not null && axis < shape.Rank && shape[axis].IsKnown ? shape[axis].KnownValue : null;

    private static long? Long(IReadOnlyDictionary<string, string> meta, string key) =>
        meta.TryGetValue(key, out var s) && long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}
