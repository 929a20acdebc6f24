using Silica.Hardware;

namespace Silica.Prediction;

/// <summary>
/// What one model replica runs on: one accelerator chip, or a share of a CPU instance's cores. An instance serves with
/// <see cref="ReplicasPerInstance"/> replicas side by side.
/// </summary>
public sealed record ReplicaTarget
{
    /// <summary>The instance the replica lives in.</summary>
    public required InstanceOffer Instance { get; init; }

    /// <summary>The device type.</summary>
    public required DeviceSpec Device { get; init; }

    /// <summary>Devices one replica uses: 1 chip for accelerators, a number of cores for CPUs.</summary>
    public int DevicesPerReplica { get; init; } = 1;

    /// <summary>Share of one device a replica gets when several replicas share a chip (a NeuronCore of two: 0.5); 1 otherwise.</summary>
    public double DeviceFraction { get; init; } = 1;

    /// <summary>Replicas serving in one instance.</summary>
    public int ReplicasPerInstance { get; init; } = 1;

    /// <summary>Memory one replica may use, bytes; null when unknown (no check is made).</summary>
    public double? MemoryBytes { get; init; }

    /// <summary>Memory bandwidth one replica gets, GB/s; null when unknown.</summary>
    public double? BandwidthGBps { get; init; }

    /// <summary>
    /// The ways an instance can be split into replicas: <paramref name="replicasPerChip"/> per chip for accelerators
    /// (one per NeuronCore on Neuron devices); for CPU instances one replica on all cores and, for instances of 4 or more
    /// cores, also replicas of a quarter of the cores and of 1 core (small models scale better across replicas than
    /// across threads).
    /// </summary>
    public static IReadOnlyList<ReplicaTarget> Layouts(InstanceOffer instance, DeviceSpec device, int replicasPerChip = 1)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(device);
        if (device.Class != DeviceClass.Cpu)
        {
            var perChip = Split(instance, device, instance.DeviceCount);
            if (replicasPerChip <= 1)
            {
                return [perChip];
            }
            return [perChip with
            {
                DeviceFraction = 1.0 / replicasPerChip,
                ReplicasPerInstance = perChip.ReplicasPerInstance * replicasPerChip,
                MemoryBytes = perChip.MemoryBytes / replicasPerChip,
                BandwidthGBps = perChip.BandwidthGBps / replicasPerChip,
            }];
        }
        var cores = Math.Max(1, instance.DeviceCount);
        var splits = new SortedSet<int> { 1 };
        if (cores >= 4)
        {
            splits.Add(cores / 4);
            splits.Add(cores);
        }
        return [.. splits.Select(r => Split(instance, device, r))];
    }

    /// <summary>The instance split into <paramref name="replicas"/> equal replicas.</summary>
    public static ReplicaTarget Split(InstanceOffer instance, DeviceSpec device, int replicas)
    {
        ArgumentNullException.ThrowIfNull(instance);
        ArgumentNullException.ThrowIfNull(device);
        var count = Math.Max(1, instance.DeviceCount);
        replicas = Math.Clamp(replicas, 1, count);
        const double GiB = 1024.0 * 1024 * 1024;
        if (device.Class == DeviceClass.Cpu)
        {
            var bandwidth = instance.MemoryBandwidthGBps?.Value ?? (device.MemoryBandwidthGBps?.Value * count);
            return new ReplicaTarget
            {
                Instance = instance,
                Device = device,
                DevicesPerReplica = count / replicas,
                ReplicasPerInstance = replicas,
                MemoryBytes = instance.MemoryGiB?.Value * GiB / replicas,
                BandwidthGBps = bandwidth / replicas,
            };
        }
        return new ReplicaTarget
        {
            Instance = instance,
            Device = device,
            DevicesPerReplica = count / replicas,
            ReplicasPerInstance = replicas,
            MemoryBytes = device.MemoryGiB?.Value * GiB * (count / replicas),
            BandwidthGBps = device.MemoryBandwidthGBps?.Value * (count / replicas),
        };
    }

    /// <summary>E.g. <c>1 x inferentia2</c> or <c>4 cores of sapphire-rapids-core</c>.</summary>
    public string Describe() => Device.Class == DeviceClass.Cpu
        ? $"{DevicesPerReplica} core{(DevicesPerReplica == 1 ? "" : "s")} of {Device.Id}"
        : DeviceFraction < 1
            ? $"1/{Math.Round(1 / DeviceFraction)} of {Device.Id}"
            : $"{DevicesPerReplica} x {Device.Id}";
}
