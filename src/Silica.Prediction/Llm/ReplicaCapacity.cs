namespace Silica.Prediction.Llm;

/// <summary>
/// The most load one replica sustains within the SLOs, found by simulation: the arrival rate, the output tokens per
/// second it yields, and the latencies at that rate. <see cref="Result"/> is null when the SLOs are missed even at a
/// trickle of requests (<see cref="Reason"/> says why).
/// </summary>
/// <param name="Result">The simulated run at the highest rate that met the SLOs, or null.</param>
/// <param name="Reason">Why no rate meets the SLOs; null when one does.</param>
public sealed record ReplicaCapacity(ContinuousBatchingResult? Result, string? Reason)
{
    /// <summary>Whether some rate meets the SLOs.</summary>
    public bool MeetsSlo => Result is not null;

    /// <summary>Sustained requests per second (0 when none).</summary>
    public double Qps => Result?.ArrivalQps ?? 0;

    /// <summary>Sustained output tokens per second (0 when none).</summary>
    public double OutputTokensPerSecond => Result?.OutputTokensPerSecond ?? 0;
}
