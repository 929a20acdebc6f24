namespace Silica.Hardware;

/// <summary>Devices and instance offers, looked up by id case-insensitively. Build one with <see cref="CatalogLoader"/>.</summary>
public sealed class Catalog
{
    private readonly Dictionary<string, DeviceSpec> _devices = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, InstanceOffer> _instances = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a catalog; on a duplicate id the first entry wins for lookups (<see cref="CatalogValidator"/> reports it).</summary>
    public Catalog(IEnumerable<DeviceSpec> devices, IEnumerable<InstanceOffer> instances)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(instances);
        Devices = [.. devices];
        Instances = [.. instances];
        foreach (var d in Devices)
        {
            _devices.TryAdd(d.Id, d);
        }
        foreach (var i in Instances)
        {
            _instances.TryAdd(i.Id, i);
        }
    }

    /// <summary>All devices, in file order.</summary>
    public IReadOnlyList<DeviceSpec> Devices { get; }

    /// <summary>All instance offers, in file order.</summary>
    public IReadOnlyList<InstanceOffer> Instances { get; }

    /// <summary>The device with this id, or null.</summary>
    public DeviceSpec? FindDevice(string id) => _devices.GetValueOrDefault(id);

    /// <summary>The instance with this id, or null.</summary>
    public InstanceOffer? FindInstance(string id) => _instances.GetValueOrDefault(id);

    /// <summary>The device an instance carries, or null when the catalog lacks it.</summary>
    public DeviceSpec? DeviceOf(InstanceOffer instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return FindDevice(instance.DeviceId);
    }
}
