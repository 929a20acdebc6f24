namespace Silica.Benchmarking.Llm;

/// <summary>An open-loop LLM serving benchmark: Poisson arrivals at <see cref="RequestRate"/>, lengths drawn per request.</summary>
public sealed record LlmBenchOptions
{
    /// <summary>Mean requests per second (Poisson arrivals, independent of completions: open loop).</summary>
    public double RequestRate { get; init; } = 1;

    /// <summary>Requests to send (after the warm-up ones).</summary>
    public int Requests { get; init; } = 20;

    /// <summary>Prompt lengths in tokens.</summary>
    public LengthDistribution PromptLength { get; init; } = LengthDistribution.Fixed(32);

    /// <summary>Output lengths in tokens (the requests' max tokens).</summary>
    public LengthDistribution OutputLength { get; init; } = LengthDistribution.Fixed(32);

    /// <summary>Time-to-first-token objective for goodput; null for none.</summary>
    public TimeSpan? SloTtft { get; init; }

    /// <summary>Time-per-output-token objective for goodput; null for none.</summary>
    public TimeSpan? SloTpot { get; init; }

    /// <summary>Requests sent one at a time before the measured run (JIT, first-use allocations); not measured.</summary>
    public int WarmupRequests { get; init; } = 1;

    /// <summary>The longest one request may take before it counts as failed.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Seed of the arrivals, the lengths and the prompts.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!double.IsFinite(RequestRate) || RequestRate <= 0)
        {
            throw new ArgumentException($"the request rate must be a positive number (got {RequestRate})");
        }
        if (Requests < 1)
        {
            throw new ArgumentException($"at least one request is needed (got {Requests})");
        }
        if (WarmupRequests < 0)
        {
            throw new ArgumentException($"warm-up requests must be 0 or more (got {WarmupRequests})");
        }
        if (SloTtft is { } t && t <= TimeSpan.Zero || SloTpot is { } p && p <= TimeSpan.Zero)
        {
            throw new ArgumentException("SLOs must be positive durations");
        }
    }
}
