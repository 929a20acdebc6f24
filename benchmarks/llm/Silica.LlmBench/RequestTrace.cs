namespace Silica.LlmBench;

/// <summary>What one request saw: arrival, first and last token times, tokens received.</summary>
internal sealed class RequestTrace(WorkloadRequest request)
{
    public WorkloadRequest Request { get; } = request;

    public double ArrivalMs { get; set; }

    public double FirstTokenMs { get; set; } = double.NaN;

    public double LastTokenMs { get; set; } = double.NaN;

    public int Tokens { get; set; }

    public double TtftMs => FirstTokenMs - ArrivalMs;

    /// <summary>Time per output token after the first (NaN for one-token outputs).</summary>
    public double TpotMs => Tokens > 1 ? (LastTokenMs - FirstTokenMs) / (Tokens - 1) : double.NaN;
}

internal static class Percentiles
{
    public static double Of(IEnumerable<double> values, double p)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).Order().ToArray();
        if (sorted.Length == 0) return double.NaN;
        var rank = p / 100 * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = Math.Min(lo + 1, sorted.Length - 1);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }
}
