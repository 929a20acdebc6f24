using Silica.Prediction;

namespace Silica.Advisor.Predicting;

/// <summary>One prediction for one instance: a batch on each replica, every replica busy.</summary>
/// <param name="InstanceId">Catalog instance id.</param>
/// <param name="Layout">How the instance is split into replicas, in words.</param>
/// <param name="Replicas">Replicas serving in the instance.</param>
/// <param name="Latency">Latency of one run of the batch on one replica, with band and breakdown.</param>
/// <param name="SamplesPerSecond">Instance throughput, central.</param>
/// <param name="SamplesPerSecondLow">Instance throughput at the slow end of the band.</param>
/// <param name="SamplesPerSecondHigh">Instance throughput at the fast end of the band.</param>
/// <param name="Measured">Whether the latency was timed here rather than predicted.</param>
public sealed record InstancePrediction(
    string InstanceId,
    string Layout,
    int Replicas,
    LatencyPrediction Latency,
    double SamplesPerSecond,
    double SamplesPerSecondLow,
    double SamplesPerSecondHigh,
    bool Measured);
