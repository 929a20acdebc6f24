namespace Silica.Hardware;

/// <summary>Turns one instance object of a catalog file into an <see cref="InstanceOffer"/>: new, override or what-if.</summary>
internal static class InstanceEntryReader
{
    /// <summary>Device id a local instance carries until the machine is described at run time.</summary>
    public const string LocalDeviceId = "local-cpu";

    private static readonly HashSet<string> KnownFields =
    [
        "id", "kind", "provider", "region", "device", "deviceCount", "vcpus", "memoryGiB", "memoryBandwidthGBps",
        "pricePerHour", "priceScale", "source", "date", "note", "comment", "basedOn", "hypothetical",
    ];

    /// <summary>Reads the entry; <paramref name="findDevice"/> checks the device reference.</summary>
    public static InstanceOffer Read(
        CatalogEntryContext c, InstanceOffer? existing, Func<string, InstanceOffer?> find, Func<string, DeviceSpec?> findDevice)
    {
        c.RejectUnknownFields(KnownFields);
        InstanceOffer offer;
        if (c.String("basedOn") is { } baseId)
        {
            var baseOffer = find(baseId) ?? throw c.Fail($"unknown basedOn '{baseId}' (no such instance)");
            var factor = c.Number(c.Entry, "priceScale") ?? 1.0;
            var basis = c.DefaultSource is null ? baseOffer.Id : $"{baseOffer.Id} per \"{c.DefaultSource}\"";
            offer = baseOffer with
            {
                Id = c.Id,
                PricePerHour = baseOffer.PricePerHour?.Scale(factor, basis, c.DefaultDate),
                Hypothetical = true,
                BasedOn = baseOffer.Id,
                Note = null,
            };
        }
        else if (existing is not null)
        {
            if (c.Has("priceScale"))
            {
                throw c.Fail("'priceScale' needs 'basedOn'");
            }
            offer = existing;
        }
        else
        {
            if (c.Has("priceScale"))
            {
                throw c.Fail("'priceScale' needs 'basedOn'");
            }
            var kind = ParseKind(c);
            offer = kind == InstanceKind.Local
                ? new InstanceOffer { Id = c.Id, Kind = kind, Provider = "local", DeviceId = LocalDeviceId }
                : new InstanceOffer
                {
                    Id = c.Id,
                    Provider = c.String("provider") ?? throw c.Fail("missing 'provider'"),
                    DeviceId = c.String("device") ?? throw c.Fail("missing 'device'"),
                    PricePerHour = c.Figure(c.Entry, "pricePerHour") ?? throw c.Fail("missing 'pricePerHour'"),
                    VCpus = c.PositiveInt("vcpus") ?? throw c.Fail("missing 'vcpus'"),
                };
        }
        offer = offer with
        {
            Kind = c.Has("kind") ? ParseKind(c) : offer.Kind,
            Provider = c.String("provider") ?? offer.Provider,
            Region = c.String("region") ?? offer.Region,
            DeviceId = c.String("device") ?? offer.DeviceId,
            DeviceCount = c.PositiveInt("deviceCount") ?? offer.DeviceCount,
            VCpus = c.PositiveInt("vcpus") ?? offer.VCpus,
            MemoryGiB = c.Has("memoryGiB") ? c.Figure(c.Entry, "memoryGiB") : offer.MemoryGiB,
            MemoryBandwidthGBps = c.Has("memoryBandwidthGBps") ? c.Figure(c.Entry, "memoryBandwidthGBps") : offer.MemoryBandwidthGBps,
            PricePerHour = c.Has("pricePerHour") ? c.Figure(c.Entry, "pricePerHour") : offer.PricePerHour,
            Note = c.String("note") ?? offer.Note,
            Hypothetical = c.Bool("hypothetical") ?? offer.Hypothetical,
        };
        if (offer.Kind == InstanceKind.Cloud && offer.PricePerHour is null)
        {
            throw c.Fail("missing 'pricePerHour'");
        }
        if (offer.Kind == InstanceKind.Cloud && findDevice(offer.DeviceId) is null)
        {
            throw c.Fail($"unknown device '{offer.DeviceId}'");
        }
        return offer;
    }

    private static InstanceKind ParseKind(CatalogEntryContext c) => c.String("kind") switch
    {
        null or "cloud" => InstanceKind.Cloud,
        "local" => InstanceKind.Local,
        var other => throw c.Fail($"unknown kind '{other}' (expected cloud or local)"),
    };
}
