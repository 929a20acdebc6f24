namespace Silica.Prediction.Llm;

/// <summary>The scheduler a simulated replica runs and how long the simulation lasts.</summary>
public sealed record ContinuousBatchingOptions
{
    /// <summary>Most sequences running at once (vLLM's <c>max_num_seqs</c>, default 256).</summary>
    public int MaxSequences { get; init; } = 256;

    /// <summary>Most tokens in one step, decode tokens first, then prompt chunks (vLLM's <c>max_num_batched_tokens</c>).</summary>
    public int MaxBatchedTokens { get; init; } = 2048;

    /// <summary>Requests measured after the warm-up.</summary>
    public int Requests { get; init; } = 400;

    /// <summary>Requests simulated first and not measured.</summary>
    public int WarmupRequests { get; init; } = 40;

    /// <summary>Seed of arrivals and lengths: the same seed gives the same result, and the arrivals at any rate are the same draws scaled.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Percentile the SLOs apply to (99: p99 TTFT and p99 TPOT, as MLPerf's LLM server scenario).</summary>
    public double SloPercentile { get; init; } = 99;

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (MaxSequences < 1 || MaxBatchedTokens < 1 || Requests < 1 || WarmupRequests < 0)
        {
            throw new ArgumentException("continuous batching needs at least one sequence, one token per step and one measured request");
        }
        if (SloPercentile is <= 0 or > 100)
        {
            throw new ArgumentException($"the SLO percentile must be in (0, 100] (is {SloPercentile})");
        }
    }
}
