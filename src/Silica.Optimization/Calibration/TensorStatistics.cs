namespace Silica.Optimization.Calibration;

/// <summary>
/// What calibration saw of one tensor: its extremes and, once those are known, a histogram of absolute
/// values over <c>[0, max|x|]</c> (2048 bins, as TensorRT's entropy calibration uses).
/// </summary>
internal sealed class TensorStatistics
{
    public const int Bins = 2048;

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    public long Count { get; private set; }

    /// <summary>Counts of <c>|x|</c> per bin; null until <see cref="StartHistogram"/>.</summary>
    public long[]? Histogram { get; private set; }

    public double AbsMax => Count == 0 ? 0 : Math.Max(Math.Abs(Min), Math.Abs(Max));

    /// <summary>Width of one histogram bin.</summary>
    public double BinWidth => AbsMax / Bins;

    public void AddRange(ReadOnlySpan<float> values)
    {
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        foreach (var v in values)
        {
            if (float.IsFinite(v))
            {
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }
        }
        if (lo <= hi)
        {
            Min = Math.Min(Min, lo);
            Max = Math.Max(Max, hi);
        }
        Count += values.Length;
    }

    public void StartHistogram() => Histogram = new long[Bins];

    public void AddHistogram(ReadOnlySpan<float> values)
    {
        var hist = Histogram ?? throw new InvalidOperationException("the histogram pass has not started");
        var width = BinWidth;
        if (width <= 0)
        {
            hist[0] += values.Length;
            return;
        }
        var inv = 1.0 / width;
        foreach (var v in values)
        {
            if (!float.IsFinite(v))
            {
                continue;
            }
            // Values beyond the first pass's range (none, with the same samples) land in the last bin.
            var bin = (int)Math.Min(Math.Abs(v) * inv, Bins - 1);
            hist[bin]++;
        }
    }
}
