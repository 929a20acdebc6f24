using Silica.Onnx.Model;

namespace Silica.Onnx.Zoo;

/// <summary>
/// The architecture of a KV-cache decoder, as <see cref="DecoderMetadata.TryRead"/> found it: from the
/// <c>silica.llm.*</c> metadata of a zoo model, or inferred from the graph of a user's Optimum export
/// (then the sizes the graph does not show are null).
/// </summary>
public sealed record DecoderInfo
{
    /// <summary>"gpt2", "llama", or "unknown" for a user's export without Silica metadata.</summary>
    public required string Architecture { get; init; }

    /// <summary>Transformer layers: the number of <c>past_key_values.N.key</c> inputs.</summary>
    public required int Layers { get; init; }

    /// <summary>Key/value heads per layer (fewer than <see cref="Heads"/> under grouped-query attention).</summary>
    public required long KvHeads { get; init; }

    /// <summary>Size of one head.</summary>
    public required long HeadDim { get; init; }

    /// <summary>Element type of the cache tensors.</summary>
    public TensorDataType KvDataType { get; init; } = TensorDataType.Float;

    /// <summary>Hidden size (model width), or null when unknown.</summary>
    public long? Hidden { get; init; }

    /// <summary>Query heads, or null when unknown.</summary>
    public long? Heads { get; init; }

    /// <summary>MLP inner size, or null when unknown.</summary>
    public long? Intermediate { get; init; }

    /// <summary>Vocabulary size (last dim of <c>logits</c>), or null when unknown.</summary>
    public long? Vocab { get; init; }

    /// <summary>Longest sequence (prompt plus output) the model supports, or null when unknown.</summary>
    public long? ContextLength { get; init; }

    /// <summary>Rotary embedding base θ for rotary models, else null.</summary>
    public double? RopeTheta { get; init; }

    /// <summary>Whether the graph takes <c>position_ids</c> (some exports derive positions from the mask).</summary>
    public bool HasPositionIds { get; init; }

    /// <summary>True when the weights are synthetic (seeded pseudo-random values, not a trained checkpoint).</summary>
    public bool SyntheticWeights { get; init; }

    /// <summary>The tokenizer the vocabulary belongs to ("gpt2"), or null when unknown.</summary>
    public string? Tokenizer { get; init; }

    /// <summary>End-of-sequence token id, or null when unknown.</summary>
    public int? EndOfSequenceId { get; init; }

    /// <summary>Bytes of cache one token occupies across all layers (keys and values).</summary>
    public long KvBytesPerToken => 2L * Layers * KvDataType.ByteCount(KvHeads * HeadDim);

    /// <summary>Name of layer <paramref name="layer"/>'s past key input.</summary>
    public static string PastKeyName(int layer) => $"past_key_values.{layer}.key";

    /// <summary>Name of layer <paramref name="layer"/>'s past value input.</summary>
    public static string PastValueName(int layer) => $"past_key_values.{layer}.value";

    /// <summary>Name of layer <paramref name="layer"/>'s present key output.</summary>
    public static string PresentKeyName(int layer) => $"present.{layer}.key";

    /// <summary>Name of layer <paramref name="layer"/>'s present value output.</summary>
    public static string PresentValueName(int layer) => $"present.{layer}.value";
}
