namespace Silica.Prediction.Llm;

/// <summary>Latency targets for an LLM service: TTFT and TPOT at a percentile (p99 by default).</summary>
/// <param name="Ttft">Bound on time to first token.</param>
/// <param name="Tpot">Bound on time per output token.</param>
public sealed record LlmSlo(TimeSpan Ttft, TimeSpan Tpot)
{
    /// <summary>Whether a simulated run meets both bounds at <paramref name="percentile"/>.</summary>
    public bool IsMetBy(ContinuousBatchingResult result, double percentile)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Rejected == 0 && result.Ttft(percentile) <= Ttft.TotalSeconds && result.Tpot(percentile) <= Tpot.TotalSeconds;
    }
}
