using System.Diagnostics;

namespace Silica.Benchmarking.Scheduling;

/// <summary>
/// Arrival times of a Poisson process (independent, exponentially distributed gaps with mean
/// 1 / rate), drawn from a seeded generator so a run's schedule is repeatable. The Server scenario
/// computes the whole schedule before the run, so the issue thread only waits and issues.
/// </summary>
public sealed class PoissonSchedule
{
    /// <summary>Creates a schedule.</summary>
    /// <param name="ratePerSecond">Mean arrivals per second (λ).</param>
    /// <param name="seed">Seed of the random generator.</param>
    public PoissonSchedule(double ratePerSecond, int seed)
    {
        if (!double.IsFinite(ratePerSecond) || ratePerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "The arrival rate must be a positive number.");
        }

        RatePerSecond = ratePerSecond;
        Seed = seed;
    }

    /// <summary>Mean arrivals per second.</summary>
    public double RatePerSecond { get; }

    /// <summary>Seed of the random generator.</summary>
    public int Seed { get; }

    /// <summary>Fills <paramref name="gapsSeconds"/> with the first gaps between arrivals, in seconds.</summary>
    /// <param name="gapsSeconds">Destination; element <c>i</c> is the gap before arrival <c>i</c> (the first is measured from time 0).</param>
    public void FillGaps(Span<double> gapsSeconds)
    {
        var random = new Random(Seed);
        for (var i = 0; i < gapsSeconds.Length; i++)
        {
            // Inverse CDF of the exponential; 1 - U is in (0, 1], so the logarithm is finite.
            gapsSeconds[i] = -Math.Log(1.0 - random.NextDouble()) / RatePerSecond;
        }
    }

    /// <summary>The first <paramref name="count"/> arrival times as <see cref="Stopwatch"/> tick offsets from the start.</summary>
    /// <param name="count">Number of arrivals.</param>
    /// <returns>Non-decreasing offsets; arrival <c>i</c> is at <c>start + offsets[i]</c>.</returns>
    public long[] CreateArrivalOffsets(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var gaps = new double[count];
        FillGaps(gaps);
        var offsets = new long[count];
        var time = 0.0;
        for (var i = 0; i < count; i++)
        {
            // Accumulate in seconds and convert each time, so rounding to ticks does not drift the rate.
            time += gaps[i];
            offsets[i] = (long)(time * Stopwatch.Frequency);
        }

        return offsets;
    }

    /// <summary>
    /// Conditions a Poisson schedule on its expected counts: after this, exactly round(rate × t) arrivals fall
    /// before each breakpoint t. Between breakpoints the arrivals are rescaled linearly, which leaves them
    /// distributed as uniform order statistics — exactly a Poisson process conditioned on those counts — so
    /// gaps stay exponential in distribution while a short run's realised rate equals the target instead of
    /// wandering by 1/√N. Arrivals after the last breakpoint keep their gaps.
    /// </summary>
    /// <param name="offsets">Arrival offsets in <see cref="Stopwatch"/> ticks, changed in place.</param>
    /// <param name="rate">Arrivals per second.</param>
    /// <param name="breakpointsSeconds">Increasing times (seconds from the start) at which the count must be exact.</param>
    public static void ConditionOnCounts(long[] offsets, double rate, IReadOnlyList<double> breakpointsSeconds)
    {
        ArgumentNullException.ThrowIfNull(offsets);
        ArgumentNullException.ThrowIfNull(breakpointsSeconds);
        var fromIndex = -1; // arrival index anchoring the segment start (-1: the origin)
        var fromTime = 0.0; // its new time in seconds
        double fromOld = 0;
        foreach (var t in breakpointsSeconds)
        {
            var index = (int)Math.Round(rate * t);
            if (index <= fromIndex || index >= offsets.Length || t <= fromTime)
            {
                continue;
            }
            var oldEnd = offsets[index] / (double)Stopwatch.Frequency;
            var scale = (t - fromTime) / (oldEnd - fromOld);
            for (var i = fromIndex + 1; i <= index; i++)
            {
                var old = offsets[i] / (double)Stopwatch.Frequency;
                offsets[i] = (long)((fromTime + (old - fromOld) * scale) * Stopwatch.Frequency);
            }
            offsets[index] = (long)(t * Stopwatch.Frequency);
            fromIndex = index;
            fromTime = t;
            fromOld = oldEnd;
        }
        if (fromIndex >= 0)
        {
            for (var i = fromIndex + 1; i < offsets.Length; i++)
            {
                var old = offsets[i] / (double)Stopwatch.Frequency;
                offsets[i] = (long)((fromTime + (old - fromOld)) * Stopwatch.Frequency);
            }
        }
    }
}
