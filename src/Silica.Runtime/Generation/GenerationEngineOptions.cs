using Silica.Runtime.Backends;

namespace Silica.Runtime.Generation;

/// <summary>How a <see cref="GenerationEngine"/> sizes its KV cache and schedules sequences. The defaults suit a small CPU server.</summary>
public sealed record GenerationEngineOptions
{
    /// <summary>Bytes of KV-cache memory; the pool holds as many fixed-size blocks as fit. Must hold at least one full-context sequence.</summary>
    public long KvCacheBytes { get; init; } = 256L << 20;

    /// <summary>Tokens per KV-cache block (the unit of allocation).</summary>
    public int BlockTokens { get; init; } = 16;

    /// <summary>Most sequences in the running batch at once.</summary>
    public int MaxRunningSequences { get; init; } = 16;

    /// <summary>Most tokens one step processes: one per decoding sequence plus the prefill chunks.</summary>
    public int MaxBatchedTokens { get; init; } = 256;

    /// <summary>Most prompt tokens of one sequence prefilled in one step; longer prompts are prefilled in chunks between decode steps.</summary>
    public int PrefillChunkTokens { get; init; } = 128;

    /// <summary>Most requests waiting for admission; past it <see cref="IGenerationEngine.GenerateAsync"/> throws <see cref="Batching.QueueFullException"/>.</summary>
    public int MaxWaitingRequests { get; init; } = 256;

    /// <summary>Continuous (iteration-level) batching, or request-level static batching for comparison.</summary>
    public GenerationBatching Batching { get; init; } = GenerationBatching.Continuous;

    /// <summary>With <see cref="GenerationBatching.Static"/>: how long the oldest request waits for a full batch before a partial one starts.</summary>
    public TimeSpan StaticBatchWait { get; init; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Reserve a full context length of cache for every admitted sequence, as servers without paging do. Off by
    /// default; it exists to measure what paging gains.
    /// </summary>
    public bool ReserveMaxLength { get; init; }

    /// <summary>Caps the context length below the model's own (null: the model's). Smaller contexts need a smaller cache.</summary>
    public int? ContextLength { get; init; }

    /// <summary>The backend to run the decoder on (a <see cref="Backends.BackendRegistry"/> name).</summary>
    public string Backend { get; init; } = "cpu";

    /// <summary>
    /// Rewrite the loaded decoder so its LM head runs only at each sequence's last new token (the only logits sampled)
    /// rather than at every prompt token of a prefill chunk. Applies to models loaded by name or path.
    /// </summary>
    public bool LogitsForLastPositionOnly { get; init; } = true;

    /// <summary>How the backend loads the decoder.</summary>
    public SessionOptions Session { get; init; } = new();

    /// <summary>The model name to serve under; defaults to the zoo name or the file name.</summary>
    public string? ModelName { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> naming the first value out of range.</summary>
    public void Validate()
    {
        if (KvCacheBytes < 1) throw new ArgumentException($"KvCacheBytes must be positive (is {KvCacheBytes})");
        if (BlockTokens < 1) throw new ArgumentException($"BlockTokens must be at least 1 (is {BlockTokens})");
        if (MaxRunningSequences < 1) throw new ArgumentException($"MaxRunningSequences must be at least 1 (is {MaxRunningSequences})");
        if (MaxBatchedTokens < MaxRunningSequences) throw new ArgumentException($"MaxBatchedTokens ({MaxBatchedTokens}) must be at least MaxRunningSequences ({MaxRunningSequences}), one decode token each");
        if (PrefillChunkTokens < 1) throw new ArgumentException($"PrefillChunkTokens must be at least 1 (is {PrefillChunkTokens})");
        if (MaxWaitingRequests < 1) throw new ArgumentException($"MaxWaitingRequests must be at least 1 (is {MaxWaitingRequests})");
        if (ContextLength is < 2) throw new ArgumentException($"ContextLength must be at least 2 (is {ContextLength})");
        if (StaticBatchWait < TimeSpan.Zero) throw new ArgumentException($"StaticBatchWait must not be negative (is {StaticBatchWait})");
    }
}

/// <summary>When sequences may join the running batch.</summary>
public enum GenerationBatching
{
    /// <summary>Iteration-level: requests join and leave between steps (Orca, vLLM).</summary>
    Continuous,

    /// <summary>
    /// Request-level, the baseline of the Orca paper (as Hugging Face <c>generate</c> on a batch and FasterTransformer
    /// run): a batch of up to <see cref="GenerationEngineOptions.MaxRunningSequences"/> requests (or what arrived
    /// within <see cref="GenerationEngineOptions.StaticBatchWait"/>) runs to completion before the next starts. The
    /// batch is one fixed shape: its prefill computes the longest prompt's length for every row, and finished rows
    /// keep decoding as discarded padding, holding their cache, until the longest sequence ends (counted in
    /// <see cref="GenerationStats.PaddingTokensTotal"/>). Real rows' outputs are the same as alone, and each request's
    /// stream still ends as soon as it finishes or is cancelled.
    /// </summary>
    Static,
}
