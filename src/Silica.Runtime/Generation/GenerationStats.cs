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
    /// <summary>Fraction of the KV-cache pool in use (0 to 1).</summary>
    public double KvUsage => KvBlocksTotal == 0 ? 0 : (double)KvBlocksUsed / KvBlocksTotal;
}
