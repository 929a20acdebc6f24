using Silica.Advisor.Results;
using Silica.Hardware;
using Silica.Prediction;

namespace Silica.Advisor.Measurement;

/// <summary>Pairs batch sizes measured here with the prior's terms for them, and fits the local factors.</summary>
public static class LocalCalibration
{
    /// <summary>One observation per measured point: the prior's FP32 terms on <paramref name="target"/> against the measured median.</summary>
    public static List<Observation> Observe(RooflinePredictor predictor, WorkloadBuilder builder, ReplicaTarget target,
        IEnumerable<MeasuredPoint> points, string model = "")
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(points);
        return [.. points.Select(p => new Observation(
            predictor.Terms(builder.At(p.Batch), target, NumericFormat.Fp32), p.P50Ms / 1e3, $"{model} batch {p.Batch}".TrimStart()))];
    }

    /// <summary>Factors fitted to the measured points (see <see cref="Calibrator.Fit"/>).</summary>
    public static CalibrationFactors Fit(IReadOnlyList<Observation> observations) =>
        Calibrator.Fit(observations, $"roofline calibrated on {observations.Count} batch sizes measured here");
}
