using Silica.Optimization.Calibration;

namespace Silica.Optimization.Quantization;

/// <summary>What to quantize and how.</summary>
/// <param name="Mode">INT8 static, INT8 dynamic or FP8.</param>
/// <param name="Method">How activation ranges are chosen from calibration data (static INT8 and FP8).</param>
/// <param name="Percentile">The percentile of absolute values kept unclipped with <see cref="CalibrationMethod.Percentile"/>, in (0, 100].</param>
/// <param name="ExcludeNodes">Node names to leave in their original precision (the mixed-precision search fills this).</param>
public sealed record QuantizationOptions(
    QuantizationMode Mode,
    CalibrationMethod Method = CalibrationMethod.MinMax,
    double Percentile = 99.99,
    IReadOnlySet<string>? ExcludeNodes = null)
{
    /// <summary>
    /// How many times calibration runs over the samples: 0 for dynamic, 1 for min-max, 2 for percentile and entropy
    /// (extremes first, then histograms). The quantizer's progress counts up to this times the sample count.
    /// </summary>
    public int CalibrationPasses => Mode == QuantizationMode.Int8Dynamic ? 0 : Method == CalibrationMethod.MinMax ? 1 : 2;
}
