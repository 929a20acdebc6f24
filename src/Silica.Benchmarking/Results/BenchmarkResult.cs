using Silica.Benchmarking.Scenarios;
using Silica.Benchmarking.Stopping;

namespace Silica.Benchmarking.Results;

/// <summary>
/// The result of one load-generator run, as written to results JSON (see <see cref="ResultsJson"/>).
/// Latencies are measured from the scheduled issue time, so a stalled SUT shows in the tail.
/// </summary>
public sealed record BenchmarkResult
{
    /// <summary>The schema version this build writes and reads.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Version of the results schema; readers reject versions they do not know.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The scenario that ran.</summary>
    public Scenario Scenario { get; init; }

    /// <summary>The settings the run used.</summary>
    public required RunSettings Settings { get; init; }

    /// <summary>When the run started (UTC).</summary>
    public DateTimeOffset StartTimeUtc { get; init; }

    /// <summary>Measured duration: from the first measured issue to the last measured completion.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>Measured queries by outcome.</summary>
    public required QueryCounts Counts { get; init; }

    /// <summary>Measured throughput.</summary>
    public required Throughput Throughput { get; init; }

    /// <summary>Latency percentiles of the successfully completed measured queries.</summary>
    public required LatencySummary Latency { get; init; }

    /// <summary>Server: the latency bound that was checked (µs), or <see langword="null"/>.</summary>
    public double? TargetLatencyUs { get; init; }

    /// <summary>Server: whether the target percentile met <see cref="TargetLatencyUs"/>; <see langword="null"/> when no bound was set.</summary>
    public bool? LatencyBoundMet { get; init; }

    /// <summary>Whether the last windows agreed within the tolerance when the run stopped.</summary>
    public bool StabilityReached { get; init; }

    /// <summary>Why the run stopped.</summary>
    public StopReason StopReason { get; init; }

    /// <summary>Per-window figures, in order.</summary>
    public IReadOnlyList<WindowResult> Windows { get; init; } = [];

    /// <summary>How the load generator itself behaved.</summary>
    public HarnessDiagnostics? Harness { get; init; }

    /// <summary>Where the run was measured; filled by the caller (see <see cref="EnvironmentInfo.Capture"/>).</summary>
    public EnvironmentInfo? Environment { get; init; }

    /// <summary>Value equality, including the windows element by element.</summary>
    /// <param name="other">The result to compare with.</param>
    /// <returns>Whether every field is equal.</returns>
    public bool Equals(BenchmarkResult? other) =>
        other is not null
        && SchemaVersion == other.SchemaVersion
        && Scenario == other.Scenario
        && Settings == other.Settings
        && StartTimeUtc == other.StartTimeUtc
        && Duration == other.Duration
        && Counts == other.Counts
        && Throughput == other.Throughput
        && Latency == other.Latency
        && TargetLatencyUs == other.TargetLatencyUs
        && LatencyBoundMet == other.LatencyBoundMet
        && StabilityReached == other.StabilityReached
        && StopReason == other.StopReason
        && Windows.SequenceEqual(other.Windows)
        && Harness == other.Harness
        && Environment == other.Environment;

    /// <summary>Hash of the scalar fields (consistent with <see cref="Equals(BenchmarkResult)"/>).</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(SchemaVersion, Scenario, Settings, StartTimeUtc, Counts, Latency, Windows.Count);
}
