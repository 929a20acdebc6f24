using System.Globalization;
using Silica.Hardware;
using Silica.Prediction;

namespace Silica.Advisor.Measurement;

/// <summary>The catalog's <c>local</c> instance as one replica on all its cores, with its bandwidth measured when the catalog lacks it.</summary>
public static class LocalTarget
{
    /// <summary>The catalog id of this machine.</summary>
    public const string InstanceId = "local";

    /// <summary>The local replica target; measures bandwidth (about 0.1 s) when the catalog has none.</summary>
    /// <exception cref="ArgumentException">The catalog has no <c>local</c> instance or its device.</exception>
    public static ReplicaTarget Create(Catalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var instance = catalog.FindInstance(InstanceId) ?? throw new ArgumentException("the catalog has no 'local' instance");
        var device = catalog.DeviceOf(instance) ?? throw new ArgumentException($"the catalog has no device '{instance.DeviceId}' for 'local'");
        if (device.MemoryBandwidthGBps is null && instance.MemoryBandwidthGBps is null)
        {
            var gbps = LocalBandwidth.MeasureGBps();
            instance = instance with
            {
                MemoryBandwidthGBps = new SourcedValue(gbps, "measured here: parallel copy of 64 MiB",
                    DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture)),
            };
        }
        return ReplicaTarget.Split(instance, device, 1);
    }
}
