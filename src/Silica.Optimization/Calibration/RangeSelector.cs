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
    /// 128 for a signed one (half the grid; each sign is searched on its own).
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
        if (method == CalibrationMethod.Entropy)
        {
            return EntropyRange(stats, min, max, levels);
        }
        var threshold = PercentileThreshold(hist, stats.Zeros, stats.BinWidth, percentile);
        return new TensorRange(Math.Max(min, -threshold), Math.Min(max, threshold));
    }

    /// <summary>
    /// Each end on its own histogram: the uint8 grid is asymmetric, so the lower and upper ends are clipped
    /// independently, and folding both signs into one <c>|x|</c> histogram let one side's shape decide the other's
    /// end (on the PP-OCRv4 recognizer, hardswish outputs whose padding sits on a point mass at their negative
    /// minimum, −0.044, were clipped at +0.044, dropping 1.7% of values that lay at 0.28–0.35).
    /// </summary>
    private static TensorRange EntropyRange(TensorStatistics stats, double min, double max, int levels)
    {
        var upper = max > 0 && stats.Positive is { } positive
            ? EntropyCalibration.Threshold(positive, stats.PositiveBinWidth, levels)
            : 0;
        var lower = min < 0 && stats.Negative is { } negative
            ? EntropyCalibration.Threshold(negative, stats.NegativeBinWidth, levels)
            : 0;
        return new TensorRange(Math.Max(min, -lower), Math.Min(max, upper));
    }

    /// <summary>
    /// The upper edge of the bin where the cumulative count reaches the percentile of <c>|x|</c>, counting the
    /// exact zeros (kept apart from the histogram) as the smallest values.
    /// </summary>
    internal static double PercentileThreshold(long[] hist, long zeros, double binWidth, double percentile)
    {
        var total = zeros;
        foreach (var c in hist)
        {
            total += c;
        }
        var target = total * Math.Clamp(percentile, 0, 100) / 100.0;
        var seen = zeros;
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
