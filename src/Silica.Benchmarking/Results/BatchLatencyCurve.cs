using Silica.Benchmarking.Scenarios;

namespace Silica.Benchmarking.Results;

/// <summary>
/// Latency and throughput as a function of batch size, measured by <see cref="Sweeps.BatchSweep"/>:
/// the curve the predictor calibrates against.
/// </summary>
public sealed record BatchLatencyCurve
{
    /// <summary>Version of the schema; readers reject versions they do not know.</summary>
    public int SchemaVersion { get; init; } = BenchmarkResult.CurrentSchemaVersion;

    /// <summary>The scenario each point ran.</summary>
    public Scenario Scenario { get; init; }

    /// <summary>When the sweep started (UTC).</summary>
    public DateTimeOffset StartTimeUtc { get; init; }

    /// <summary>The points, in the order measured.</summary>
    public IReadOnlyList<BatchLatencyPoint> Points { get; init; } = [];

    /// <summary>Where the sweep was measured; filled by the caller.</summary>
    public EnvironmentInfo? Environment { get; init; }

    /// <summary>Value equality, including the points element by element.</summary>
    /// <param name="other">The curve to compare with.</param>
    /// <returns>Whether every field is equal.</returns>
    public bool Equals(BatchLatencyCurve? other) =>
        other is not null
        && SchemaVersion == other.SchemaVersion
        && Scenario == other.Scenario
        && StartTimeUtc == other.StartTimeUtc
        && Points.SequenceEqual(other.Points)
        && Environment == other.Environment;

    /// <summary>Hash of the scalar fields (consistent with <see cref="Equals(BatchLatencyCurve)"/>).</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(SchemaVersion, Scenario, StartTimeUtc, Points.Count);
}
