namespace Silica.Optimization.Calibration;

/// <summary>Chooses the range to quantize a tensor to from its calibration statistics.</summary>
internal static class RangeSelector
{
    /// <summary>The kept range for the method; always contains 0 so that zero is exactly representable.</summary>
    /// <param name="stats">The tensor's statistics (with a histogram for percentile and entropy).</param>
    /// <param name="method">The calibration method.</param>
    /// <param name="percentile">For <see cref="CalibrationMethod.Percentile"/>, in (0, 100].</param>
    /// <param name="levels">
    /// Quantization levels between 0 and the threshold, for entropy: 255 for a non-negative tensor in uint8,
    /// 128 for a signed one (half the grid each side).
    /// </param>
    public static TensorRange Select(TensorStatistics stats, CalibrationMethod method, double percentile, int levels)
    {
        var min = Math.Min(0, stats.Count == 0 ? 0 : stats.Min);
        var max = Math.Max(0, stats.Count == 0 ? 0 : stats.Max);
        if (method == CalibrationMethod.MinMax || stats.AbsMax == 0)
        {
            return new TensorRange(min, max);
        }
        var hist = stats.Histogram ?? throw new InvalidOperationException("percentile and entropy calibration need a histogram");
        var threshold = method == CalibrationMethod.Percentile
            ? PercentileThreshold(hist, stats.BinWidth, percentile)
            : EntropyCalibration.Threshold(hist, stats.BinWidth, levels);
        return new TensorRange(Math.Max(min, -threshold), Math.Min(max, threshold));
    }

    /// <summary>The upper edge of the bin where the cumulative count reaches the percentile of <c>|x|</c>.</summary>
    internal static double PercentileThreshold(long[] hist, double binWidth, double percentile)
    {
        long total = 0;
        foreach (var c in hist)
        {
            total += c;
        }
        var target = total * Math.Clamp(percentile, 0, 100) / 100.0;
        long seen = 0;
        for (var i = 0; i < hist.Length; i++)
        {
            seen += hist[i];
            if (seen >= target)
            {
                return (i + 1) * binWidth;
            }
        }
        return hist.Length * binWidth;
    }
}
