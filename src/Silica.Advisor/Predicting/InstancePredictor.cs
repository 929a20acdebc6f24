using Silica.Advisor.Measurement;
using Silica.Hardware;
using Silica.Prediction;

namespace Silica.Advisor.Predicting;

/// <summary>
/// <c>silica predict</c>: the latency of a batch and the throughput of a whole instance as a user would deploy it (one
/// replica per accelerator chip; for CPUs the split of cores into replicas that serves the most samples per second).
/// </summary>
public static class InstancePredictor
{
    /// <summary>Predicts; for the local instance, <paramref name="calibrationBudget"/> &gt; 0 first measures the model here to calibrate.</summary>
    /// <exception cref="ArgumentException">Unknown target, unsupported precision, or the model does not fit.</exception>
    public static InstancePrediction Predict(Catalog catalog, ModelInput model, string targetId, int batch, NumericFormat precision, TimeSpan calibrationBudget)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(model);
        var instance = catalog.FindInstance(targetId)
            ?? throw new ArgumentException($"unknown target '{targetId}': no such instance id (see 'silica catalog')");
        var device = catalog.DeviceOf(instance) ?? throw new ArgumentException($"the catalog has no device '{instance.DeviceId}' for '{targetId}'");
        if (!Precision.IsSupported(device, precision))
        {
            var supported = string.Join(", ", Enum.GetValues<NumericFormat>().Where(f => Precision.IsSupported(device, f)).Select(Precision.Name));
            throw new ArgumentException($"{device.Id} has no {Precision.Name(precision)} path; it supports {supported}");
        }
        var predictor = new RooflinePredictor();
        var builder = new WorkloadBuilder(model.Graph, model.Bindings);
        var workload = builder.At(batch);
        var isLocal = instance.Kind == InstanceKind.Local;
        IReadOnlyList<ReplicaTarget> layouts = isLocal ? [LocalTarget.Create(catalog)] : ReplicaTarget.Layouts(instance, device, predictor.PriorFor(device.Class).ReplicasPerChip);
        var factors = predictor.PriorFactors(device.Class);
        if (isLocal && calibrationBudget > TimeSpan.Zero)
        {
            var points = LocalProfiler.Measure(model.Path, model.Graph, model.Bindings, [1, 2, 4, 8], calibrationBudget);
            factors = LocalCalibration.Fit(LocalCalibration.Observe(predictor, builder, layouts[0], points));
        }
        InstancePrediction? best = null;
        foreach (var layout in layouts)
        {
            var latency = predictor.Predict(workload, layout, precision, factors);
            if (!latency.Memory.Fits)
            {
                continue;
            }
            var replicas = layout.ReplicasPerInstance;
            var candidate = new InstancePrediction(instance.Id, layout.Describe(), replicas, latency,
                replicas * batch / latency.Seconds, replicas * batch / latency.HighSeconds, replicas * batch / latency.LowSeconds, Measured: false);
            if (best is null || candidate.SamplesPerSecond > best.SamplesPerSecond)
            {
                best = candidate;
            }
        }
        if (best is null)
        {
            var need = RooflinePredictor.Memory(workload, layouts[0], precision);
            throw new ArgumentException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"the model at batch {batch} needs {need.RequiredBytes / (1 << 30):0.##} GiB but a replica on {targetId} has {need.AvailableBytes / (1 << 30):0.##} GiB"));
        }
        return best;
    }
}
