using Silica.Hardware;
using Silica.Prediction.Priors;

namespace Silica.Prediction;

/// <summary>
/// Per-node roofline: time = max(FLOPs / (peak × efficiency × ramp), bytes / (bandwidth × memory efficiency)) + kernel
/// overhead, summed over the model's kernels, plus a fixed cost per inference. Efficiencies come from the device class's
/// <see cref="EfficiencyPrior"/>; calibration multiplies the resulting terms. See docs/prediction.md.
/// </summary>
public sealed class RooflinePredictor
{
    private readonly PriorTable _priors;

    /// <summary>Creates a predictor over a prior table (<see cref="PriorTable.Default"/> when null).</summary>
    public RooflinePredictor(PriorTable? priors = null) => _priors = priors ?? PriorTable.Default;

    /// <summary>The prior of a device class.</summary>
    public EfficiencyPrior PriorFor(DeviceClass deviceClass) => _priors.For(deviceClass);

    /// <summary>The prior's time of one run, split into terms; throws when the device lacks the format or a figure.</summary>
    /// <exception cref="NotSupportedException">The device has no peak for the format, or no memory bandwidth.</exception>
    public PredictionTerms Terms(Workload workload, ReplicaTarget target, NumericFormat precision)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(target);
        var prior = _priors.For(target.Device.Class);
        var peakTflops = target.Device.Peak[precision]?.Value
            ?? throw new NotSupportedException($"{target.Device.Id} has no {Precision.Name(precision)} path in the catalog");
        // Vector work runs on vector units, whose rate is the FP32 (non-matrix) peak where one is published.
        var vectorTflops = target.Device.Peak.Fp32?.Value ?? peakTflops;
        var bandwidth = target.BandwidthGBps ?? throw new NotSupportedException($"{target.Device.Id} has no memory bandwidth in the catalog");
        var scale = Scaling(target, prior);
        var bytesScale = (double)Precision.ElementBytes(precision) / workload.StoredElementBytes;

        var terms = new PredictionTerms();
        var memoryRate = bandwidth * 1e9 * prior.MemoryEfficiency;
        var halfFlops = prior.HalfEfficiencyMflop * 1e6 * scale;
        var kernels = 0;
        foreach (var k in workload.Kernels)
        {
            if (k.Fusion == FusionKind.Epilogue || (k.Fusion == FusionKind.Chain && prior.FusesChains))
            {
                continue; // runs inside its producer's kernel: no launch, no extra pass over memory
            }
            kernels++;
            var peak = (k.Group is OpGroup.Gemm or OpGroup.Conv ? peakTflops : vectorTflops) * 1e12 * scale;
            var ramp = k.Flops / (k.Flops + halfFlops);
            var compute = k.Flops > 0 ? k.Flops / (peak * prior.Compute[k.Group] * ramp) : 0;
            var memory = (k.ActivationBytes + k.WeightBytes) * bytesScale / memoryRate;
            if (compute >= memory)
            {
                terms.Add(k.Group switch { OpGroup.Gemm => TimeTerm.Gemm, OpGroup.Conv => TimeTerm.Conv, _ => TimeTerm.OtherCompute }, k.OpClass, compute);
            }
            else
            {
                terms.Add(TimeTerm.Memory, k.OpClass, memory);
            }
        }
        terms.Add(TimeTerm.Overhead, null, (prior.FixedOverheadUs + (prior.KernelOverheadUs * kernels)) * 1e-6);
        return terms;
    }

    /// <summary>The latency of one run with its band: prior factors when <paramref name="factors"/> is null.</summary>
    /// <exception cref="NotSupportedException">The device has no peak for the format, or no memory bandwidth.</exception>
    public LatencyPrediction Predict(Workload workload, ReplicaTarget target, NumericFormat precision, CalibrationFactors? factors = null)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(target);
        factors ??= PriorFactors(target.Device.Class);
        var terms = Terms(workload, target, precision);
        var seconds = terms.Total(factors);
        var band = factors.BandFactor;
        var basis = workload.UnknownNodes > 0
            ? $"{factors.Basis}; {workload.UnknownNodes} operator(s) with unknown shapes not counted"
            : factors.Basis;
        return new LatencyPrediction(workload.Batch, precision, seconds, seconds / band, seconds * band,
            terms.ByOpClass(factors), Memory(workload, target, precision), basis);
    }

    /// <summary>The uncalibrated factors of a device class: all 1, with the class prior's spread.</summary>
    public CalibrationFactors PriorFactors(DeviceClass deviceClass)
    {
        var prior = _priors.For(deviceClass);
        return CalibrationFactors.Prior(prior.Spread, $"roofline with {deviceClass.ToString().ToLowerInvariant()} priors (docs/prediction.md), not calibrated");
    }

    /// <summary>Weights at the precision, plus two working sets of the largest kernel, plus 10% for the runtime.</summary>
    public static MemoryFit Memory(Workload workload, ReplicaTarget target, NumericFormat precision)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(target);
        var bytesScale = (double)Precision.ElementBytes(precision) / workload.StoredElementBytes;
        var required = ((workload.ParameterBytes * bytesScale) + (2 * workload.PeakActivationBytes * bytesScale)) * 1.1;
        return new MemoryFit(required, target.MemoryBytes);
    }

    /// <summary>
    /// How much of the summed peak one replica realises: for a replica of n CPU cores, parallelEfficiency^log2(n) of n
    /// cores; otherwise the device count.
    /// </summary>
    private static double Scaling(ReplicaTarget target, EfficiencyPrior prior)
    {
        var n = Math.Max(1, target.DevicesPerReplica);
        return target.Device.Class == DeviceClass.Cpu ? n * Math.Pow(prior.ParallelEfficiency, Math.Log2(n)) : n * target.DeviceFraction;
    }
}
