namespace Silica.Optimization.Calibration;

/// <summary>The range of an activation kept by calibration: values outside are clipped when quantized.</summary>
/// <param name="Min">The lower end (at most 0 once quantization includes zero).</param>
/// <param name="Max">The upper end.</param>
internal readonly record struct TensorRange(double Min, double Max)
{
    /// <summary>The larger magnitude of the two ends.</summary>
    public double AbsMax => Math.Max(Math.Abs(Min), Math.Abs(Max));

    /// <summary>The smallest range covering both.</summary>
    public TensorRange Union(TensorRange other) => new(Math.Min(Min, other.Min), Math.Max(Max, other.Max));
}
