namespace Silica.Benchmarking.Scheduling;

/// <summary>
/// The one-sample Kolmogorov–Smirnov test against an exponential distribution with a known rate:
/// checks that observed arrival gaps look like a Poisson process at the target rate.
/// </summary>
public static class KolmogorovSmirnov
{
    /// <summary>The KS statistic D = sup |F_n(x) − (1 − e^(−λx))| of the samples against Exp(λ).</summary>
    /// <param name="samples">Observed values (for example gaps in seconds); not modified.</param>
    /// <param name="rate">The exponential rate λ, in the samples' inverse unit.</param>
    /// <returns>D in [0, 1].</returns>
    public static double ExponentialStatistic(ReadOnlySpan<double> samples, double rate)
    {
        ArgumentOutOfRangeException.ThrowIfZero(samples.Length);
        var sorted = samples.ToArray();
        Array.Sort(sorted);
        var n = (double)sorted.Length;
        var d = 0.0;
        for (var i = 0; i < sorted.Length; i++)
        {
            var cdf = sorted[i] <= 0 ? 0 : 1 - Math.Exp(-rate * sorted[i]);
            // The empirical CDF steps from i/n to (i+1)/n at this sample; both sides can be the supremum.
            d = Math.Max(d, Math.Max(((i + 1) / n) - cdf, cdf - (i / n)));
        }

        return d;
    }

    /// <summary>The asymptotic critical value c(α)/√n with c(α) = √(−ln(α/2)/2) (1.628/√n at α = 0.01).</summary>
    /// <param name="sampleCount">Number of samples n.</param>
    /// <param name="alpha">Significance level, for example 0.01.</param>
    /// <returns>The largest D that does not reject the distribution at level α.</returns>
    public static double CriticalValue(int sampleCount, double alpha)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleCount, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(alpha, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(alpha, 1);
        return Math.Sqrt(-Math.Log(alpha / 2) / 2) / Math.Sqrt(sampleCount);
    }
}
