using Silica.Hardware;

namespace Silica.Prediction.Llm;

/// <summary>
/// The dimensions of a decoder-only transformer that decide its cost: what LLM prediction works from. Fill one from a
/// model's metadata (<c>DecoderMetadata</c>) or with <see cref="Llama"/> / <see cref="Gpt2"/> for a named architecture.
/// </summary>
public sealed record DecoderShape
{
    /// <summary>Model name, for reports.</summary>
    public string Name { get; init; } = "";

    /// <summary>Transformer blocks.</summary>
    public required int Layers { get; init; }

    /// <summary>Model (residual) width.</summary>
    public required int Hidden { get; init; }

    /// <summary>Query heads.</summary>
    public required int Heads { get; init; }

    /// <summary>Key/value heads (fewer than <see cref="Heads"/> under grouped-query attention).</summary>
    public required int KvHeads { get; init; }

    /// <summary>Width of one head.</summary>
    public required int HeadDim { get; init; }

    /// <summary>Width of the feed-forward block's inner layer.</summary>
    public required int Intermediate { get; init; }

    /// <summary>Vocabulary size.</summary>
    public required int Vocab { get; init; }

    /// <summary>All parameters, embedding table included.</summary>
    public required long ParameterCount { get; init; }

    /// <summary>
    /// Whether the output projection shares the token-embedding table. When it does not, the table is only looked up
    /// (a few rows per token), so its bytes are held in memory but not streamed on every step.
    /// </summary>
    public bool TiedEmbeddings { get; init; }

    /// <summary>Longest sequence the model was trained for; null when unknown.</summary>
    public int? ContextLength { get; init; }

    /// <summary>
    /// Kernels an operator-at-a-time runtime launches per step (the ONNX graph's compute nodes); null when unknown. Graph
    /// compilers fuse a block into a handful of kernels, so this only matters for runtimes that do not.
    /// </summary>
    public int? GraphKernels { get; init; }

    /// <summary>Bytes per weight as the model is stored (4 for FP32 exports); informational, predictions use the precision asked for.</summary>
    public int StoredBytesPerWeight { get; init; } = 4;

    /// <summary>Parameters that are only looked up, never multiplied: the untied embedding table.</summary>
    public long LookupParameters => TiedEmbeddings ? 0 : (long)Vocab * Hidden;

    /// <summary>Parameters every token multiplies through: twice this is the dense FLOPs per token.</summary>
    public long MatmulParameters => ParameterCount - LookupParameters;

    /// <summary>Bytes of the key and value vectors one token leaves in the cache, all layers, at <paramref name="kvElementBytes"/> per element.</summary>
    public double KvBytesPerToken(int kvElementBytes) => 2.0 * Layers * KvHeads * HeadDim * kvElementBytes;

    /// <summary>Bytes of all weights at <paramref name="format"/>.</summary>
    public double WeightBytes(NumericFormat format) => (double)ParameterCount * Precision.ElementBytes(format);

    /// <summary>Checks the dimensions are positive and consistent.</summary>
    /// <exception cref="ArgumentException">A dimension is not positive, or the heads do not group.</exception>
    public void Validate()
    {
        foreach (var (name, value) in new (string, long)[]
        {
            ("layers", Layers), ("hidden", Hidden), ("heads", Heads), ("kv heads", KvHeads), ("head dim", HeadDim),
            ("intermediate", Intermediate), ("vocab", Vocab), ("parameter count", ParameterCount),
        })
        {
            if (value <= 0)
            {
                throw new ArgumentException($"decoder {Name}: {name} must be positive (is {value})");
            }
        }
        if (Heads % KvHeads != 0)
        {
            throw new ArgumentException($"decoder {Name}: {Heads} query heads do not split into {KvHeads} kv-head groups");
        }
        if (MatmulParameters <= 0)
        {
            throw new ArgumentException($"decoder {Name}: {ParameterCount} parameters are fewer than its embedding table");
        }
    }

    /// <summary>
    /// A Llama-architecture decoder (RMSNorm, SwiGLU feed-forward, grouped-query attention, untied output head unless
    /// <paramref name="tied"/>), its parameter count computed from the dimensions.
    /// </summary>
    public static DecoderShape Llama(string name, int layers, int hidden, int heads, int kvHeads, int intermediate, int vocab,
        int? contextLength = null, bool tied = false)
    {
        var headDim = hidden / heads;
        long attention = (2L * hidden * heads * headDim) + (2L * hidden * kvHeads * headDim);
        long mlp = 3L * hidden * intermediate;
        long perLayer = attention + mlp + (2L * hidden);
        long total = ((long)vocab * hidden * (tied ? 1 : 2)) + (layers * perLayer) + hidden;
        return new DecoderShape
        {
            Name = name, Layers = layers, Hidden = hidden, Heads = heads, KvHeads = kvHeads, HeadDim = headDim,
            Intermediate = intermediate, Vocab = vocab, ParameterCount = total, TiedEmbeddings = tied, ContextLength = contextLength,
        };
    }

    /// <summary>A GPT-2 decoder (LayerNorm, GELU feed-forward of 4x width, learned positions, tied output head).</summary>
    public static DecoderShape Gpt2(string name, int layers, int hidden, int heads, int vocab = 50257, int contextLength = 1024)
    {
        long perLayer = (4L * hidden * hidden) + (4L * hidden) + (8L * hidden * hidden) + (5L * hidden) + (4L * hidden);
        long total = ((long)vocab * hidden) + ((long)contextLength * hidden) + (layers * perLayer) + (2L * hidden);
        return new DecoderShape
        {
            Name = name, Layers = layers, Hidden = hidden, Heads = heads, KvHeads = heads, HeadDim = hidden / heads,
            Intermediate = 4 * hidden, Vocab = vocab, ParameterCount = total, TiedEmbeddings = true, ContextLength = contextLength,
        };
    }
}
