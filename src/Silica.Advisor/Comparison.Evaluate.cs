using System.Globalization;
using Silica.Advisor.Measurement;
using Silica.Advisor.Planning;
using Silica.Advisor.Results;
using Silica.Hardware;
using Silica.Prediction;

namespace Silica.Advisor;

/// <summary>Evaluating one instance × precision: its curve per replica layout, the best plan, the row.</summary>
public static partial class Comparison
{
    /// <summary>Measured points' band: run-to-run variation of a repeated measurement here (docs/perf.md §5).</summary>
    private const double MeasuredBand = 1.08;

    private static Evaluated Evaluate(Context context, InstanceOffer instance, DeviceSpec? device, NumericFormat precision)
    {
        var isLocal = instance.Kind == InstanceKind.Local;
        var row = new Deployment
        {
            InstanceId = instance.Id,
            Provider = instance.Provider,
            DeviceId = instance.DeviceId,
            DeviceClass = device?.Class.ToString().ToLowerInvariant() ?? "unknown",
            DeviceCount = instance.DeviceCount,
            Precision = Prediction.Precision.Name(precision),
            Basis = isLocal && precision == NumericFormat.Fp32 && context.LocalPoints.Count > 0 ? "measured" : "predicted",
            BasisDetail = "",
        };
        if (device is null)
        {
            return new Evaluated(row with { Reason = $"the catalog has no device '{instance.DeviceId}'" }, null, null);
        }
        if (isLocal && precision != NumericFormat.Fp32)
        {
            // Predicting this machine at a format its backend cannot run would be a row nobody can deploy.
            return new Evaluated(row with { Reason = "this machine's ONNX Runtime CPU backend runs the model as stored (FP32); reduced precision needs a converted model" }, null, null);
        }
        if (!Prediction.Precision.IsSupported(device, precision))
        {
            return new Evaluated(row with { Reason = $"{device.Id} has no {row.Precision} path (catalog)" }, null, null);
        }
        var layouts = isLocal && context.LocalTarget is not null ? [context.LocalTarget] : ReplicaTarget.Layouts(instance, device, context.Predictor.PriorFor(device.Class).ReplicasPerChip);
        Evaluated? best = null;
        foreach (var layout in layouts)
        {
            var candidate = EvaluateLayout(context, row, layout, precision, isLocal);
            if (best is null || Better(candidate.Row, best.Row))
            {
                best = candidate;
            }
        }
        return best!;
    }

    private static bool Better(Deployment a, Deployment b)
    {
        if (a.Feasible != b.Feasible)
        {
            return a.Feasible;
        }
        return a.Instances != b.Instances ? a.Instances < b.Instances : a.P99Ms < b.P99Ms;
    }

    private static Evaluated EvaluateLayout(Context context, Deployment row, ReplicaTarget layout, NumericFormat precision, bool isLocal)
    {
        var request = context.Request;
        var memory = RooflinePredictor.Memory(context.Builder.At(1), layout, precision);
        row = row with { ReplicasPerInstance = layout.ReplicasPerInstance };
        if (!memory.Fits)
        {
            return new Evaluated(row with
            {
                BasisDetail = "memory check",
                Reason = string.Create(CultureInfo.InvariantCulture,
                    $"needs {memory.RequiredBytes / (1 << 30):0.##} GiB at batch 1, {layout.Describe()} has {memory.AvailableBytes!.Value / (1 << 30):0.##} GiB"),
            }, null, layout);
        }
        ServiceCurve curve;
        try
        {
            var key = string.Create(CultureInfo.InvariantCulture,
                $"{layout.Device.Id}|{layout.DevicesPerReplica}|{layout.BandwidthGBps}|{layout.MemoryBytes}|{precision}|{isLocal}|{layout.ReplicasPerInstance}");
            var lazy = context.Plans.GetOrAdd(key, _ => new Lazy<(ServiceCurve, ReplicaPlan)>(() =>
            {
                var c = BuildCurve(context, layout, precision, isLocal);
                return (c, DeploymentPlanner.Plan(c, layout.ReplicasPerInstance, request.Qps, request.SloP99));
            }));
            (curve, var plan) = lazy.Value;
            return new Evaluated(ToRow(row, layout, curve, plan, request), curve, layout);
        }
        catch (NotSupportedException e)
        {
            return new Evaluated(row with { BasisDetail = "catalog", Reason = e.Message }, null, layout);
        }
    }

    private static ServiceCurve BuildCurve(Context context, ReplicaTarget layout, NumericFormat precision, bool isLocal)
    {
        var factors = isLocal && context.LocalFactors is not null ? context.LocalFactors : context.Predictor.PriorFactors(layout.Device.Class);
        var measured = isLocal && precision == NumericFormat.Fp32 ? context.LocalPoints.ToDictionary(p => p.Batch) : [];
        // Predicted local points jitter as the measured ones did; other devices get the class assumption.
        var localJitter = context.LocalPoints.Count > 0 ? context.LocalPoints.Select(p => Math.Max(1, p.P99Ms / p.P50Ms)).Order().ElementAt(context.LocalPoints.Count / 2) : 1.2;
        var points = new List<ServiceCurvePoint>();
        var predictions = new Dictionary<int, LatencyPrediction>();
        var slo = context.Request.SloP99.TotalSeconds;
        foreach (var batch in context.Batches)
        {
            var prediction = context.Predictor.Predict(context.Builder.At(batch), layout, precision, factors);
            if (!prediction.Memory.Fits)
            {
                break; // larger batches need more still
            }
            predictions[batch] = prediction;
            if (measured.TryGetValue(batch, out var m))
            {
                var p50 = m.P50Ms / 1e3;
                points.Add(new ServiceCurvePoint(batch, p50, p50 / MeasuredBand, p50 * MeasuredBand, Math.Max(1, m.P99Ms / m.P50Ms), Measured: true));
            }
            else
            {
                points.Add(new ServiceCurvePoint(batch, prediction.Seconds, prediction.LowSeconds, prediction.HighSeconds,
                    isLocal ? localJitter : ServiceCurve.PredictedJitter, Measured: false));
            }
            if (prediction.LowSeconds > slo)
            {
                break; // even the fast end of this batch misses the SLO; larger batches are slower
            }
        }
        var basis = measured.Count > 0
            ? string.Create(CultureInfo.InvariantCulture, $"service times measured here at batch {string.Join(",", measured.Keys.Order())}, other batches {factors.Basis}; queueing simulated")
            : $"{factors.Basis}; queueing simulated";
        return new ServiceCurve(points, measured.Count > 0, basis, predictions);
    }

    private static Deployment ToRow(Deployment row, ReplicaTarget layout, ServiceCurve curve, ReplicaPlan plan, CompareRequest request)
    {
        row = row with { BasisDetail = curve.Basis };
        if (!plan.Feasible)
        {
            return row with { Reason = plan.Reason };
        }
        var instance = layout.Instance;
        var price = instance.PricePerHour?.Value ?? (instance.Kind == InstanceKind.Local ? request.LocalPricePerHour : null);
        var priceSource = instance.PricePerHour is { } p ? $"{p.Source} ({p.Date})" : price is not null ? "--local-price" : null;
        double? Cost(int instances) => price is { } pr && instances < int.MaxValue ? CostMath.DollarsPerMillionInferences(pr * instances, request.Qps) : null;
        double? AtCapacity(double replicaCapacity) => price is { } pr && replicaCapacity > 0
            ? CostMath.DollarsPerMillionInferences(pr, replicaCapacity * layout.ReplicasPerInstance)
            : null;
        var policy = plan.Policy!;
        double? joules = null;
        string? energyBasis = null;
        if (layout.Device.PowerW is { } power && plan.ReplicaLoad > 0)
        {
            var watts = power.Value * layout.DevicesPerReplica;
            joules = watts * plan.Utilization / plan.ReplicaLoad;
            energyBasis = string.Create(CultureInfo.InvariantCulture,
                $"{watts:0.#} W ({layout.DevicesPerReplica} x {(layout.Device.Class == DeviceClass.Cpu ? "core share of TDP" : "board power")}, catalog) x simulated busy time; idle power not counted");
        }
        return row with
        {
            Feasible = true,
            MaxBatch = policy.MaxBatchSize,
            QueueDelayMs = policy.MaxQueueDelay.TotalMilliseconds,
            Instances = plan.Instances.Central,
            InstancesLow = plan.Instances.Fast,
            InstancesHigh = plan.Instances.Slow,
            PricePerHour = price,
            PriceSource = priceSource,
            HourlyCost = price * plan.Instances.Central,
            CostPerMillion = Cost(plan.Instances.Central),
            CostPerMillionLow = Cost(plan.Instances.Fast),
            CostPerMillionHigh = Cost(plan.Instances.Slow),
            CostPerMillionAtCapacity = AtCapacity(plan.PeakReplicaCapacity.Central),
            CostPerMillionAtCapacityLow = AtCapacity(plan.PeakReplicaCapacity.Fast),
            CostPerMillionAtCapacityHigh = AtCapacity(plan.PeakReplicaCapacity.Slow),
            P99Ms = plan.P99Seconds.Central * 1e3,
            P99LowMs = plan.P99Seconds.Fast * 1e3,
            P99HighMs = plan.P99Seconds.Slow * 1e3,
            CapacityQpsPerInstance = plan.PeakReplicaCapacity.Central * layout.ReplicasPerInstance,
            CapacityQpsPerInstanceLow = plan.PeakReplicaCapacity.Slow * layout.ReplicasPerInstance,
            CapacityQpsPerInstanceHigh = plan.PeakReplicaCapacity.Fast * layout.ReplicasPerInstance,
            JoulesPerInference = joules,
            EnergyBasis = energyBasis,
        };
    }
}
