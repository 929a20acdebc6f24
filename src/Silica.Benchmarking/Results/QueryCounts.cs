namespace Silica.Benchmarking.Results;

/// <summary>Measured queries by outcome (warm-up queries excluded). Issued − completed − failed were still pending at the drain timeout.</summary>
public sealed record QueryCounts
{
    /// <summary>Queries issued.</summary>
    public long Issued { get; init; }

    /// <summary>Queries that completed successfully.</summary>
    public long Completed { get; init; }

    /// <summary>Queries whose task faulted.</summary>
    public long Failed { get; init; }

    /// <summary>Samples in the completed queries.</summary>
    public long CompletedSamples { get; init; }
}
