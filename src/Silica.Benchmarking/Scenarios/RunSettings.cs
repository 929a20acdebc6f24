namespace Silica.Benchmarking.Scenarios;

/// <summary>
/// What to run and when to stop: the scenario and its load, the warm-up, and the stopping rules.
/// A run stops at <see cref="MaxDuration"/>, or earlier once <see cref="MinDuration"/> and
/// <see cref="MinQueryCount"/> are reached and (when <see cref="RequireStability"/>) the last
/// <see cref="StabilityWindows"/> windows agree within <see cref="StabilityTolerance"/>.
/// </summary>
public sealed record RunSettings
{
    /// <summary>The scenario.</summary>
    public Scenario Scenario { get; init; } = Scenario.SingleStream;

    /// <summary>Samples per query: the batch size for MultiStream, Offline and Concurrency (SingleStream and Server use it too when set).</summary>
    public int SamplesPerQuery { get; init; } = 1;

    /// <summary>Server: the mean arrival rate of the Poisson process, queries per second.</summary>
    public double TargetQps { get; init; } = 100;

    /// <summary>Server: the latency bound that p99 must meet; <see langword="null"/> reports no verdict.</summary>
    public TimeSpan? TargetLatency { get; init; }

    /// <summary>Server: the percentile held to <see cref="TargetLatency"/> (MLPerf uses 99).</summary>
    public double TargetLatencyPercentile { get; init; } = 99;

    /// <summary>
    /// Server: a run that could stop (minimums met, or stable) continues, up to <see cref="MaxDuration"/>, until the
    /// arrivals issued so far are within this fraction of <see cref="TargetQps"/> × elapsed time.
    /// </summary>
    public double ServerRateTolerance { get; init; } = 0.01;

    /// <summary>Concurrency: the number of outstanding queries kept in flight.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>Offline: how many queries are kept queued in the SUT so it never waits for work.</summary>
    public int OfflineQueueDepth { get; init; } = 64;

    /// <summary>Warm-up time at the start of the run; queries scheduled in it are not measured.</summary>
    public TimeSpan WarmupDuration { get; init; } = TimeSpan.Zero;

    /// <summary>Warm-up queries at the start of the run; they are not measured.</summary>
    public int WarmupQueries { get; init; }

    /// <summary>Shortest measured duration (after warm-up).</summary>
    public TimeSpan MinDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Fewest measured queries completed before the run may stop (unless <see cref="MaxDuration"/> is hit).</summary>
    public long MinQueryCount { get; init; } = 100;

    /// <summary>Longest measured duration; the run stops here whether or not it is stable.</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Whether the run continues past the minimums until the windows are stable.</summary>
    public bool RequireStability { get; init; } = true;

    /// <summary>Length of a measurement window for the stability rule and the per-window figures.</summary>
    public TimeSpan WindowDuration { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many of the most recent windows must agree.</summary>
    public int StabilityWindows { get; init; } = 3;

    /// <summary>Largest allowed (max − min) / mean over those windows, for throughput and (latency scenarios) p50.</summary>
    public double StabilityTolerance { get; init; } = 0.10;

    /// <summary>How long to wait for outstanding queries after issuing stops; those still pending count as not completed.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Number of distinct inputs the caller has; sample indices are drawn from [0, this).</summary>
    public int SampleLibrarySize { get; init; } = 1024;

    /// <summary>Seed for the arrival schedule and sample indices, so runs are repeatable.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Checks the settings and throws a message naming the first bad field.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        Require(SamplesPerQuery >= 1, nameof(SamplesPerQuery), "must be at least 1");
        Require(double.IsFinite(TargetQps) && TargetQps > 0, nameof(TargetQps), "must be a positive number");
        Require(TargetLatency is null || TargetLatency > TimeSpan.Zero, nameof(TargetLatency), "must be positive");
        Require(TargetLatencyPercentile is > 0 and <= 100, nameof(TargetLatencyPercentile), "must be in (0, 100]");
        Require(ServerRateTolerance > 0, nameof(ServerRateTolerance), "must be positive");
        Require(Concurrency >= 1, nameof(Concurrency), "must be at least 1");
        Require(OfflineQueueDepth >= 1, nameof(OfflineQueueDepth), "must be at least 1");
        Require(WarmupDuration >= TimeSpan.Zero && WarmupQueries >= 0, nameof(WarmupDuration), "warm-up must not be negative");
        Require(MinDuration >= TimeSpan.Zero && MinQueryCount >= 0, nameof(MinDuration), "minimums must not be negative");
        Require(MaxDuration > TimeSpan.Zero && MaxDuration >= MinDuration, nameof(MaxDuration), "must be positive and at least MinDuration");
        Require(WindowDuration > TimeSpan.Zero, nameof(WindowDuration), "must be positive");
        Require(StabilityWindows >= 2, nameof(StabilityWindows), "must be at least 2");
        Require(StabilityTolerance >= 0, nameof(StabilityTolerance), "must not be negative");
        Require(DrainTimeout >= TimeSpan.Zero, nameof(DrainTimeout), "must not be negative");
        Require(SampleLibrarySize >= 1, nameof(SampleLibrarySize), "must be at least 1");
    }

    /// <summary>Whether the scenario's stability rule also requires a stable p50 latency (all but Offline).</summary>
    internal bool IsLatencyScenario => Scenario != Scenario.Offline;

    private static void Require(bool condition, string name, string message)
    {
        if (!condition)
        {
            throw new ArgumentException($"RunSettings.{name} {message}.", name);
        }
    }
}
