namespace Silica.Benchmarking.Results;

/// <summary>Figures for one measurement window, by completion time; the stability rule compares these.</summary>
public sealed record WindowResult
{
    /// <summary>Start of the window, seconds after the measurement started.</summary>
    public double StartSeconds { get; init; }

    /// <summary>Length of the window, seconds.</summary>
    public double DurationSeconds { get; init; }

    /// <summary>Queries completed in the window.</summary>
    public long CompletedQueries { get; init; }

    /// <summary>Queries completed per second in the window.</summary>
    public double QueriesPerSecond { get; init; }

    /// <summary>Samples completed per second in the window.</summary>
    public double SamplesPerSecond { get; init; }

    /// <summary>Median latency of the queries completed in the window, µs.</summary>
    public double P50Us { get; init; }

    /// <summary>99th percentile latency of the queries completed in the window, µs.</summary>
    public double P99Us { get; init; }
}
