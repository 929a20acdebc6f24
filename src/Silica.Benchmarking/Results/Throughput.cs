namespace Silica.Benchmarking.Results;

/// <summary>Completed work per second of measured duration.</summary>
public sealed record Throughput
{
    /// <summary>Completed queries per second.</summary>
    public double QueriesPerSecond { get; init; }

    /// <summary>Completed samples per second (the Offline figure of merit).</summary>
    public double SamplesPerSecond { get; init; }

    /// <summary>Rate at which queries were actually issued, first to last issue (for Server: how well the schedule was held).</summary>
    public double IssuedQueriesPerSecond { get; init; }
}
