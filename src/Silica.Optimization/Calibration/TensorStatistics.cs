namespace Silica.Optimization.Calibration;

/// <summary>
/// What calibration saw of one tensor: its extremes and, once those are known, a histogram of absolute
/// values over <c>[0, max|x|]</c> (2048 bins, as TensorRT's entropy calibration uses). Exact zeros are counted
/// apart (<see cref="Zeros"/>): any range represents them exactly, and the entropy search must not see them.
/// </summary>
/// <remarks>
/// The histogram's range is fixed by the first pass over the same samples, so every batch lands on the same bins
/// (no re-binning of histograms with different ranges, which ONNX Runtime's collector has to do).
/// </remarks>
internal sealed class TensorStatistics
{
    public const int Bins = 2048;

    public double Min { get; private set; } = double.PositiveInfinity;

    public double Max { get; private set; } = double.NegativeInfinity;

    public long Count { get; private set; }

    /// <summary>Counts of non-zero <c>|x|</c> per bin; null until <see cref="StartHistogram"/>.</summary>
    public long[]? Histogram { get; private set; }

    /// <summary>
    /// Counts of the positive values per bin over <c>(0, max]</c>, for the entropy search of the upper end; null
    /// until <see cref="StartHistogram"/>.
    /// </summary>
    public long[]? Positive { get; private set; }

    /// <summary>Counts of <c>|x|</c> of the negative values per bin over <c>(0, |min|]</c>, for the lower end.</summary>
    public long[]? Negative { get; private set; }

    /// <summary>Bin width of <see cref="Positive"/>.</summary>
    public double PositiveBinWidth => Math.Max(Max, 0) / Bins;

    /// <summary>Bin width of <see cref="Negative"/>.</summary>
    public double NegativeBinWidth => Math.Max(-Min, 0) / Bins;

    /// <summary>Values that were exactly 0 in the histogram pass (not in <see cref="Histogram"/>).</summary>
    public long Zeros { get; private set; }

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

    public void StartHistogram()
    {
        Histogram = new long[Bins];
        Positive = new long[Bins];
        Negative = new long[Bins];
    }

    public void AddHistogram(ReadOnlySpan<float> values)
    {
        var hist = Histogram ?? throw new InvalidOperationException("the histogram pass has not started");
        var positive = Positive!;
        var negative = Negative!;
        var width = BinWidth;
        if (width <= 0)
        {
            Zeros += values.Length;
            return;
        }
        var inv = 1.0 / width;
        var invPositive = Max > 0 ? 1.0 / PositiveBinWidth : 0;
        var invNegative = Min < 0 ? 1.0 / NegativeBinWidth : 0;
        foreach (var v in values)
        {
            if (v == 0)
            {
                Zeros++;
                continue;
            }
            if (!float.IsFinite(v))
            {
                continue;
            }
            // Values beyond the first pass's range (none, with the same samples) land in the last bin.
            var bin = (int)Math.Min(Math.Abs(v) * inv, Bins - 1);
            hist[bin]++;
            if (v > 0)
            {
                positive[(int)Math.Min(v * invPositive, Bins - 1)]++;
            }
            else
            {
                negative[(int)Math.Min(-v * invNegative, Bins - 1)]++;
            }
        }
    }
}
