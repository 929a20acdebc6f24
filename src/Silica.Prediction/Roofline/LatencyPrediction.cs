using Silica.Hardware;

namespace Silica.Prediction;

/// <summary>The predicted latency of one run of a batch on one replica, with its 90% band and what it rests on.</summary>
/// <param name="Batch">Samples per run.</param>
/// <param name="Precision">Number format.</param>
/// <param name="Seconds">Central estimate.</param>
/// <param name="LowSeconds">Low end of the 90% band.</param>
/// <param name="HighSeconds">High end of the 90% band.</param>
/// <param name="SecondsByOpClass">Where the time goes: seconds per operator class, plus <c>overhead</c>.</param>
/// <param name="Memory">Whether the replica's memory holds the model at this batch.</param>
/// <param name="Basis">In words: roofline with which priors, calibrated or not.</param>
public sealed record LatencyPrediction(
    int Batch,
    NumericFormat Precision,
    double Seconds,
    double LowSeconds,
    double HighSeconds,
    IReadOnlyDictionary<string, double> SecondsByOpClass,
    MemoryFit Memory,
    string Basis)
{
    /// <summary>Samples per second of one replica running this batch back to back.</summary>
    public double SamplesPerSecond => Batch / Seconds;
}

/// <summary>Memory needed against memory available for one replica.</summary>
/// <param name="RequiredBytes">Weights at the precision, plus twice the largest kernel's working set, plus 10% for the runtime.</param>
/// <param name="AvailableBytes">What the replica has; null when unknown.</param>
public sealed record MemoryFit(double RequiredBytes, double? AvailableBytes)
{
    /// <summary>True unless the need is known to exceed what is available.</summary>
    public bool Fits => AvailableBytes is not { } a || RequiredBytes <= a;
}
