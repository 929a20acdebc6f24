namespace Silica.Benchmarking.Scenarios;

/// <summary>How the load generator issues queries (MLPerf LoadGen scenarios plus a closed-loop concurrency mode).</summary>
public enum Scenario
{
    /// <summary>One single-sample query at a time; the next is issued when the previous completes. Figure of merit: p90 latency.</summary>
    SingleStream,

    /// <summary>Queries of <see cref="RunSettings.SamplesPerQuery"/> samples issued back to back, one at a time. Figure of merit: p99 latency.</summary>
    MultiStream,

    /// <summary>Open loop: queries arrive as a Poisson process at <see cref="RunSettings.TargetQps"/>, whether or not earlier ones finished. Figures of merit: achieved QPS and whether p99 latency met the bound.</summary>
    Server,

    /// <summary>All samples are available at once: batches of <see cref="RunSettings.SamplesPerQuery"/> are kept queued so the SUT never waits. Figure of merit: samples per second.</summary>
    Offline,

    /// <summary>Closed loop with <see cref="RunSettings.Concurrency"/> outstanding queries at all times, as Triton's perf_analyzer. Figures of merit: throughput and latency at that concurrency.</summary>
    Concurrency,
}
