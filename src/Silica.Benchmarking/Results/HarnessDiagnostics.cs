namespace Silica.Benchmarking.Results;

/// <summary>How the load generator itself behaved, so a reader can tell a slow SUT from a struggling harness.</summary>
public sealed record HarnessDiagnostics
{
    /// <summary>Issue-thread time spent issuing (not waiting), per issued query, ns. Includes the SUT's own <c>IssueAsync</c> call.</summary>
    public double IssueBusyNsPerQuery { get; init; }

    /// <summary>Median of actual issue time − scheduled issue time, µs (Server; 0 in closed-loop scenarios).</summary>
    public double IssueLagP50Us { get; init; }

    /// <summary>99th percentile of actual issue time − scheduled issue time, µs (Server).</summary>
    public double IssueLagP99Us { get; init; }

    /// <summary>Largest issue lag, µs (Server).</summary>
    public double IssueLagMaxUs { get; init; }

    /// <summary>Bytes the issue thread allocated during the measured part of the run, per issued query (0 on the pooled path; SUT threads not counted).</summary>
    public double AllocatedBytesPerQuery { get; init; }
}
