namespace Silica.Runtime.Generation;

/// <summary>A snapshot of the engine's scheduler and cache, for gauges.</summary>
/// <param name="Running">Sequences in the running batch.</param>
/// <param name="Waiting">Sequences queued for admission.</param>
/// <param name="Preempted">Sequences preempted (cache blocks released) since start.</param>
/// <param name="KvBlocksUsed">KV-cache blocks in use.</param>
/// <param name="KvBlocksTotal">KV-cache blocks in the pool.</param>
/// <param name="PromptTokensTotal">Prompt tokens processed since start.</param>
/// <param name="GeneratedTokensTotal">Tokens generated since start.</param>
public readonly record struct GenerationStats(int Running, int Waiting, long Preempted, int KvBlocksUsed, int KvBlocksTotal,
    long PromptTokensTotal, long GeneratedTokensTotal)
{
    /// <summary>
    /// Token positions the model computed since start: rows × the longest new-token count of each call, padding
    /// included. Prompt and decode tokens (recomputed ones too) plus <see cref="PaddingTokensTotal"/>.
    /// </summary>
    public long ComputedTokensTotal { get; init; }

    /// <summary>
    /// Of <see cref="ComputedTokensTotal"/>, positions computed only as padding and discarded: with
    /// <see cref="GenerationBatching.Static"/>, the rows that ride along in a batch's prefill after their own prompt and
    /// the finished rows that keep decoding until the batch's longest sequence ends; in either mode, the right-padding
    /// of a call's rows to its longest new-token count (prefill chunks of different lengths).
    /// </summary>
    public long PaddingTokensTotal { get; init; }

    /// <summary>Fraction of the KV-cache pool in use (0 to 1).</summary>
    public double KvUsage => KvBlocksTotal == 0 ? 0 : (double)KvBlocksUsed / KvBlocksTotal;
}
