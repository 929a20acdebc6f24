using System.Globalization;
using Silica.Advisor.Measurement;
using Silica.Hardware;

namespace Silica.Advisor.Llm;

/// <summary>A catalog instance with its device, ready for LLM prediction (this machine with its bandwidth measured).</summary>
/// <param name="Instance">The instance.</param>
/// <param name="Device">Its device.</param>
public sealed record LlmTarget(InstanceOffer Instance, DeviceSpec Device)
{
    /// <summary>Looks up <paramref name="targetId"/>; for <c>local</c>, measures the memory bandwidth when the catalog lacks it.</summary>
    /// <exception cref="ArgumentException">No such instance, or its device is missing.</exception>
    public static LlmTarget Resolve(Catalog catalog, string targetId)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var instance = catalog.FindInstance(targetId)
            ?? throw new ArgumentException($"unknown target '{targetId}': no such instance id (see 'silica catalog')");
        return Of(catalog, instance);
    }

    /// <summary>The target of a catalog instance.</summary>
    /// <exception cref="ArgumentException">The catalog lacks the instance's device.</exception>
    public static LlmTarget Of(Catalog catalog, InstanceOffer instance)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(instance);
        var device = catalog.DeviceOf(instance) ?? throw new ArgumentException($"the catalog has no device '{instance.DeviceId}' for '{instance.Id}'");
        if (device.Class == DeviceClass.Cpu && device.MemoryBandwidthGBps is null && instance.MemoryBandwidthGBps is null)
        {
            instance = instance with
            {
                MemoryBandwidthGBps = new SourcedValue(LocalBandwidth.MeasureGBps(), "measured here: parallel copy of 64 MiB",
                    DateTime.UtcNow.ToString("yyyy-MM", CultureInfo.InvariantCulture)),
            };
        }
        return new LlmTarget(instance, device);
    }

    /// <summary>The formats among <paramref name="wanted"/> the device has a peak for.</summary>
    public IEnumerable<NumericFormat> Supported(IEnumerable<NumericFormat> wanted) => wanted.Where(f => Prediction.Precision.IsSupported(Device, f));
}
