namespace Silica.Benchmarking.Results;

/// <summary>One batch size's figures on a <see cref="BatchLatencyCurve"/>.</summary>
public sealed record BatchLatencyPoint
{
    /// <summary>Samples per query.</summary>
    public int BatchSize { get; init; }

    /// <summary>Median query latency, µs.</summary>
    public double P50Us { get; init; }

    /// <summary>90th percentile query latency, µs.</summary>
    public double P90Us { get; init; }

    /// <summary>99th percentile query latency, µs.</summary>
    public double P99Us { get; init; }

    /// <summary>Completed queries per second.</summary>
    public double QueriesPerSecond { get; init; }

    /// <summary>Completed samples per second.</summary>
    public double SamplesPerSecond { get; init; }

    /// <summary>Whether that run reached stability.</summary>
    public bool StabilityReached { get; init; }

    /// <summary>The curve point of one measured run at <paramref name="batchSize"/> samples per query.</summary>
    public static BatchLatencyPoint From(int batchSize, BenchmarkResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new BatchLatencyPoint
        {
            BatchSize = batchSize,
            P50Us = result.Latency.P50Us,
            P90Us = result.Latency.P90Us,
            P99Us = result.Latency.P99Us,
            QueriesPerSecond = result.Throughput.QueriesPerSecond,
            SamplesPerSecond = result.Throughput.SamplesPerSecond,
            StabilityReached = result.StabilityReached,
        };
    }
}
