using Silica.Benchmarking.Scenarios;
using Silica.Runtime.Batching;

namespace Silica.Benchmarking.Inference;

/// <summary>What <c>silica bench</c> measures: the scenario, the sweep, the load and the stopping rules.</summary>
public sealed record InferenceBenchmarkOptions
{
    /// <summary>The MLPerf-style scenario (or closed-loop concurrency).</summary>
    public Scenario Scenario { get; init; } = Scenario.Offline;

    /// <summary>Batch sizes to sweep: samples per query (with batching on, rows per request).</summary>
    public IReadOnlyList<int> BatchSizes { get; init; } = [1];

    /// <summary>Intra-op thread counts to sweep; 0 means the backend's default.</summary>
    public IReadOnlyList<int> ThreadCounts { get; init; } = [0];

    /// <summary>Server scenario: Poisson arrival rate in queries per second.</summary>
    public double? TargetQps { get; init; }

    /// <summary>Server scenario: search for the highest rate that meets <see cref="LatencyBound"/> instead of running one rate.</summary>
    public bool FindMaxQps { get; init; }

    /// <summary>Server scenario: the p99 latency bound to check.</summary>
    public TimeSpan? LatencyBound { get; init; }

    /// <summary>Concurrency scenario: outstanding queries; MultiStream uses the batch size as samples per query.</summary>
    public int Concurrency { get; init; } = 1;

    /// <summary>When set, every query goes through a <see cref="DynamicBatcher"/> with these options.</summary>
    public BatcherOptions? Batching { get; init; }

    /// <summary>Sizes for symbolic dimensions other than the batch (e.g. <c>seq=128</c>).</summary>
    public IReadOnlyDictionary<string, long> Bindings { get; init; } = new Dictionary<string, long>();

    /// <summary>Warm-up before measuring.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Shortest measured time per point (raised to three stability windows for slow models).</summary>
    public TimeSpan MinDuration { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest measured time per point (raised to ten stability windows for slow models).</summary>
    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Fewest measured queries per point.</summary>
    public long MinQueries { get; init; } = 20;

    /// <summary>Whether a point runs on until its last three windows agree.</summary>
    public bool RequireStability { get; init; } = true;

    /// <summary>Stability tolerance: (max − min) / mean of the last windows' throughput and p50.</summary>
    public double StabilityTolerance { get; init; } = 0.10;

    /// <summary>Seed for arrival schedules and synthetic inputs.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>The precision sessions compute in (<see cref="Runtime.Backends.SessionOptions.Precision"/>).</summary>
    public Runtime.Backends.Precision Precision { get; init; } = Runtime.Backends.Precision.Fp32;

    /// <summary>Lets FP32 matrix products use TF32 (<see cref="Runtime.Backends.SessionOptions.AllowTf32"/>).</summary>
    public bool AllowTf32 { get; init; }

    /// <summary>CPU package power used when no energy counter is readable; null uses 10 W per logical core (an assumption, labelled so).</summary>
    public double? CpuTdpWatts { get; init; }

    /// <summary>Checks the options; throws a one-line message naming the first bad value.</summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    public void Validate()
    {
        if (BatchSizes.Count == 0 || BatchSizes.Any(b => b < 1))
        {
            throw new ArgumentException("batch sizes must be positive integers");
        }
        if (ThreadCounts.Count == 0 || ThreadCounts.Any(t => t < 0))
        {
            throw new ArgumentException("thread counts must be non-negative integers (0 = backend default)");
        }
        if (Scenario == Scenario.Server && !FindMaxQps && TargetQps is not > 0)
        {
            throw new ArgumentException("the server scenario needs --qps with a positive rate (or --qps auto with --latency-bound)");
        }
        if (FindMaxQps && (Scenario != Scenario.Server || LatencyBound is null))
        {
            throw new ArgumentException("--qps auto searches the server scenario's capacity and needs --scenario server and --latency-bound");
        }
        if (Concurrency < 1)
        {
            throw new ArgumentException("concurrency must be at least 1");
        }
        if (MaxDuration < MinDuration)
        {
            throw new ArgumentException("the maximum duration must not be shorter than the minimum duration");
        }
        Batching?.Validate();
    }
}
