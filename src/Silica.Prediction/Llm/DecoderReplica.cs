using Silica.Hardware;
using Silica.Prediction.Priors;

namespace Silica.Prediction.Llm;

/// <summary>
/// One copy of a decoder served by <see cref="TensorParallel"/> devices of an instance (all cores of a CPU instance), at a
/// precision: the summed peak, bandwidth and memory it has, the link its all-reduces cross, and the runtime prior.
/// </summary>
public sealed record DecoderReplica
{
    /// <summary>The instance the replica lives in.</summary>
    public required InstanceOffer Instance { get; init; }

    /// <summary>The device type.</summary>
    public required DeviceSpec Device { get; init; }

    /// <summary>Number format of the weights and of the matrix products.</summary>
    public required NumericFormat Precision { get; init; }

    /// <summary>Tensor-parallel degree: devices that split every layer (1 for CPU instances, whose cores act as one device).</summary>
    public required int TensorParallel { get; init; }

    /// <summary>Replicas side by side in one instance.</summary>
    public required int ReplicasPerInstance { get; init; }

    /// <summary>Peak FLOP/s of the replica at <see cref="Precision"/>, all its devices together.</summary>
    public required double PeakFlops { get; init; }

    /// <summary>Memory bandwidth of the replica, bytes/s, all its devices together.</summary>
    public required double BandwidthBytesPerSecond { get; init; }

    /// <summary>Memory of the replica, bytes, all its devices together; null when unknown.</summary>
    public double? MemoryBytes { get; init; }

    /// <summary>Per-device link bandwidth for all-reduces, bytes/s; null when the catalog has none (then only TP 1 is possible).</summary>
    public double? LinkBytesPerSecond { get; init; }

    /// <summary>The device class's runtime prior.</summary>
    public required EfficiencyPrior Prior { get; init; }

    /// <summary>Bytes per KV-cache element: 16-bit for 8-bit weight formats (the usual serving default), else the weight size.</summary>
    public int KvElementBytes => Silica.Prediction.Precision.ElementBytes(Precision) switch { 1 => 2, var b => b };

    /// <summary>Bytes per activation element crossing the link in an all-reduce.</summary>
    public int ActivationElementBytes => Precision == NumericFormat.Fp32 ? 4 : 2;

    /// <summary>E.g. <c>p5.48xlarge: 4 x h100-sxm (TP 4) x 2 replicas, fp16</c>.</summary>
    public string Describe() => Device.Class == DeviceClass.Cpu
        ? $"{Instance.Id}: {Math.Max(1, Instance.DeviceCount)} cores of {Device.Id}, {Silica.Prediction.Precision.Name(Precision)}"
        : $"{Instance.Id}: {TensorParallel} x {Device.Id} (TP {TensorParallel}) x {ReplicasPerInstance} replica{(ReplicasPerInstance == 1 ? "" : "s")}, {Silica.Prediction.Precision.Name(Precision)}";

    /// <summary>
    /// The replica of <paramref name="tensorParallel"/> devices of <paramref name="instance"/> (CPU instances: all cores,
    /// degree 1). Peaks are the device's dense peak times the devices; CPU cores scale by the prior's parallel
    /// efficiency per doubling, as in the roofline predictor.
    /// </summary>
    /// <exception cref="NotSupportedException">The device has no peak for the format, or no memory bandwidth.</exception>
    /// <exception cref="ArgumentException">The degree does not divide the instance's devices.</exception>
    public static DecoderReplica Create(InstanceOffer instance, DeviceSpec device, NumericFormat precision, int tensorParallel, PriorTable? priors = null)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(device);
        var prior = (priors ?? PriorTable.Default).For(device.Class);
        var peak = device.Peak[precision]?.Value
            ?? throw new NotSupportedException($"{device.Id} has no {Silica.Prediction.Precision.Name(precision)} path in the catalog");
        var count = Math.Max(1, instance.DeviceCount);
        const double GiB = 1024.0 * 1024 * 1024;
        if (device.Class == DeviceClass.Cpu)
        {
            var split = ReplicaTarget.Split(instance, device, 1);
            var bandwidth = split.BandwidthGBps ?? throw new NotSupportedException($"{instance.Id} has no memory bandwidth in the catalog");
            return new DecoderReplica
            {
                Instance = instance, Device = device, Precision = precision, TensorParallel = 1, ReplicasPerInstance = 1,
                PeakFlops = peak * 1e12 * count * Math.Pow(prior.ParallelEfficiency, Math.Log2(count)),
                BandwidthBytesPerSecond = bandwidth * 1e9,
                MemoryBytes = split.MemoryBytes,
                Prior = prior,
            };
        }
        if (tensorParallel < 1 || count % tensorParallel != 0)
        {
            throw new ArgumentException($"tensor-parallel degree {tensorParallel} does not divide the {count} devices of {instance.Id}");
        }
        var deviceBandwidth = device.MemoryBandwidthGBps?.Value
            ?? throw new NotSupportedException($"{device.Id} has no memory bandwidth in the catalog");
        return new DecoderReplica
        {
            Instance = instance, Device = device, Precision = precision, TensorParallel = tensorParallel,
            ReplicasPerInstance = count / tensorParallel,
            PeakFlops = peak * 1e12 * tensorParallel,
            BandwidthBytesPerSecond = deviceBandwidth * 1e9 * tensorParallel,
            MemoryBytes = device.MemoryGiB?.Value * GiB * tensorParallel,
            LinkBytesPerSecond = device.Interconnect?.BandwidthGBps?.Value * 1e9,
            Prior = prior,
        };
    }
}
