namespace Silica.Runtime.Generation.KvCache;

/// <summary>The dimensions of a decoder's KV cache and output that the engine needs.</summary>
/// <param name="Layers">Transformer layers (each has one key and one value cache).</param>
/// <param name="KvHeads">Key/value heads per layer (fewer than query heads under grouped-query attention).</param>
/// <param name="HeadDim">Elements per head.</param>
/// <param name="Vocab">Logits per position.</param>
/// <param name="ContextLength">Most tokens a sequence may hold.</param>
internal sealed record DecoderShape(int Layers, int KvHeads, int HeadDim, int Vocab, int ContextLength)
{
    /// <summary>KV bytes one token occupies across all layers (float32 keys and values).</summary>
    public long BytesPerToken => 2L * Layers * KvHeads * HeadDim * sizeof(float);
}
