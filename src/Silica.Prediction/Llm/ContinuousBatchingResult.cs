namespace Silica.Prediction.Llm;

/// <summary>
/// One simulated run of a replica under Poisson arrivals with iteration-level scheduling. TTFT is first token minus
/// arrival (queueing and prefill included); TPOT is (last token − first token) / (output − 1) per request.
/// </summary>
/// <param name="ArrivalQps">Requests per second simulated.</param>
/// <param name="TtftP50Seconds">Median TTFT.</param>
/// <param name="TtftP90Seconds">90th percentile TTFT.</param>
/// <param name="TtftP99Seconds">99th percentile TTFT.</param>
/// <param name="TpotP50Seconds">Median TPOT.</param>
/// <param name="TpotP90Seconds">90th percentile TPOT.</param>
/// <param name="TpotP99Seconds">99th percentile TPOT.</param>
/// <param name="OutputTokensPerSecond">Output tokens of the measured requests over their span, first arrival to last token.</param>
/// <param name="MeanRunning">Mean sequences per step.</param>
/// <param name="Rejected">Measured requests that could never fit the KV cache (prompt + output over its capacity).</param>
public sealed record ContinuousBatchingResult(
    double ArrivalQps,
    double TtftP50Seconds,
    double TtftP90Seconds,
    double TtftP99Seconds,
    double TpotP50Seconds,
    double TpotP90Seconds,
    double TpotP99Seconds,
    double OutputTokensPerSecond,
    double MeanRunning,
    int Rejected)
{
    /// <summary>TTFT at a percentile among those reported (50, 90 or 99; others round up to the next).</summary>
    public double Ttft(double percentile) => percentile <= 50 ? TtftP50Seconds : percentile <= 90 ? TtftP90Seconds : TtftP99Seconds;

    /// <summary>TPOT at a percentile among those reported.</summary>
    public double Tpot(double percentile) => percentile <= 50 ? TpotP50Seconds : percentile <= 90 ? TpotP90Seconds : TpotP99Seconds;
}
