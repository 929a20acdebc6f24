namespace Silica.Benchmarking.Results;

/// <summary>Latency percentiles of the measured queries, in microseconds (nearest-rank, histogram precision ≈0.4%).</summary>
public sealed record LatencySummary
{
    /// <summary>Number of latencies summarized.</summary>
    public long Count { get; init; }

    /// <summary>Median latency, µs.</summary>
    public double P50Us { get; init; }

    /// <summary>90th percentile, µs (the SingleStream figure of merit).</summary>
    public double P90Us { get; init; }

    /// <summary>95th percentile, µs.</summary>
    public double P95Us { get; init; }

    /// <summary>99th percentile, µs (the MultiStream and Server figure of merit).</summary>
    public double P99Us { get; init; }

    /// <summary>99.9th percentile, µs.</summary>
    public double P999Us { get; init; }

    /// <summary>Largest latency, µs (exact).</summary>
    public double MaxUs { get; init; }

    /// <summary>Mean latency, µs (exact).</summary>
    public double MeanUs { get; init; }

    /// <summary>Smallest latency, µs (exact).</summary>
    public double MinUs { get; init; }
}
