using Silica.Prediction;
using Silica.Prediction.Serving;

namespace Silica.Advisor.Planning;

/// <summary>
/// Run time of one batch on one replica against batch size, with its band: measured here (service times timed on this
/// machine) or predicted (calibrated or prior roofline). Drives the batcher simulation.
/// </summary>
/// <param name="Points">Per batch size: central, low and high latency in seconds, and the p99/p50 jitter ratio of a run.</param>
/// <param name="Measured">True when the central values were timed on this machine.</param>
/// <param name="Basis">What the curve rests on, in words.</param>
/// <param name="Predictions">The predictions behind the points (breakdown by op class, memory fit), by batch.</param>
public sealed record ServiceCurve(IReadOnlyList<ServiceCurvePoint> Points, bool Measured, string Basis, IReadOnlyDictionary<int, LatencyPrediction> Predictions)
{
    /// <summary>
    /// Run-to-run jitter assumed for predicted runs (p99/p50 of a run's time): compiled accelerator graphs run with little
    /// variation; the simulation needs some, not an exact figure.
    /// </summary>
    public const double PredictedJitter = 1.05;

    /// <summary>The service-time model for the simulation at one end of the band: 0 central, -1 low, +1 high.</summary>
    public IServiceTimeModel ServiceTimes(int end = 0) => new CurveServiceTime(
        [.. Points.Select(p =>
        {
            var median = end switch { < 0 => p.LowSeconds, > 0 => p.HighSeconds, _ => p.Seconds };
            return new ServicePoint(p.Batch, median, median * p.Jitter);
        })]);

    /// <summary>The point for a batch size, or null when it was not included (memory, SLO).</summary>
    public ServiceCurvePoint? At(int batch) => Points.FirstOrDefault(p => p.Batch == batch);
}

/// <summary>One batch size of a <see cref="ServiceCurve"/>.</summary>
/// <param name="Batch">Samples per run.</param>
/// <param name="Seconds">Central latency of one run.</param>
/// <param name="LowSeconds">Low end of the band.</param>
/// <param name="HighSeconds">High end of the band.</param>
/// <param name="Jitter">p99/p50 of a run's time (at least 1).</param>
/// <param name="Measured">Whether this point was timed here.</param>
public sealed record ServiceCurvePoint(int Batch, double Seconds, double LowSeconds, double HighSeconds, double Jitter, bool Measured);
