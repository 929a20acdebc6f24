namespace Silica.Prediction.Serving;

/// <summary>
/// What one simulated run of a batcher under Poisson arrivals gives. Latency is completion minus arrival (queueing,
/// batching delay and service), over the measured requests that were not rejected.
/// </summary>
/// <param name="ArrivalQps">The Poisson arrival rate simulated, requests per second.</param>
/// <param name="P50Seconds">Median latency (infinite when every measured request was rejected).</param>
/// <param name="P90Seconds">90th percentile latency.</param>
/// <param name="P99Seconds">99th percentile latency.</param>
/// <param name="MeanSeconds">Mean latency.</param>
/// <param name="MeanBatchRows">Average rows per batch run (before padding) over the measured period.</param>
/// <param name="Utilization">Busy time over servers × the measured span (0–1).</param>
/// <param name="AchievedQps">Measured requests completed per second, first measured arrival to last measured completion.</param>
/// <param name="RejectedFraction">Measured requests rejected (queue full on arrival, or queued past the timeout).</param>
/// <param name="Saturated">The servers could not keep up: utilization ≥ 0.98, or the queue was still growing at the end.</param>
public sealed record SimulationResult(
    double ArrivalQps,
    double P50Seconds,
    double P90Seconds,
    double P99Seconds,
    double MeanSeconds,
    double MeanBatchRows,
    double Utilization,
    double AchievedQps,
    double RejectedFraction,
    bool Saturated);
