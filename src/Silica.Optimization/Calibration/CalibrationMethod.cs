namespace Silica.Optimization.Calibration;

/// <summary>How an activation's range is chosen from the values seen on the calibration set.</summary>
public enum CalibrationMethod
{
    /// <summary>The smallest and largest value seen: no clipping, coarsest steps when a few values are outliers.</summary>
    MinMax,

    /// <summary>Clips at a percentile of the absolute values (e.g. 99.99), trading rare outliers for finer steps.</summary>
    Percentile,

    /// <summary>
    /// Clips where the quantized distribution loses the least information (minimum KL divergence over a
    /// 2048-bin histogram, TensorRT's entropy calibration).
    /// </summary>
    Entropy,
}
