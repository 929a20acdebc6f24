namespace Silica.Hardware;

/// <summary>Turns one device object of a catalog file into a <see cref="DeviceSpec"/>: new, override or what-if.</summary>
internal static class DeviceEntryReader
{
    private static readonly HashSet<string> KnownFields =
    [
        "id", "name", "vendor", "class", "unit", "source", "date", "note", "comment", "peak", "memoryGiB",
        "memoryBandwidthGBps", "powerW", "interconnect", "basedOn", "scale", "hypothetical",
    ];

    private static readonly HashSet<string> KnownScales = ["compute", "memoryBandwidth", "memory", "power"];

    /// <summary>
    /// Reads the entry. <paramref name="existing"/> is the device of the same id from an earlier file (an override
    /// replaces only the fields given); <paramref name="find"/> resolves <c>basedOn</c>.
    /// </summary>
    public static DeviceSpec Read(CatalogEntryContext c, DeviceSpec? existing, Func<string, DeviceSpec?> find)
    {
        c.RejectUnknownFields(KnownFields);
        DeviceSpec spec;
        if (c.String("basedOn") is { } baseId)
        {
            var baseSpec = find(baseId) ?? throw c.Fail($"unknown basedOn '{baseId}' (no such device)");
            spec = Derive(c, baseSpec);
        }
        else if (existing is not null)
        {
            spec = existing;
        }
        else
        {
            var cls = c.String("class") ?? throw c.Fail("missing 'class' (gpu, cpu, inferentia, trainium or tpu)");
            spec = new DeviceSpec { Id = c.Id, Name = c.Id, Class = ParseClass(c, cls) };
            if (c.Object("peak") is null)
            {
                throw c.Fail("missing 'peak' (dense TFLOP/s per format: fp32, tf32, bf16, fp16, fp8, int8)");
            }
            if (!c.Has("memoryBandwidthGBps"))
            {
                throw c.Fail("missing 'memoryBandwidthGBps'");
            }
        }
        return Apply(c, spec);
    }

    private static DeviceSpec Derive(CatalogEntryContext c, DeviceSpec baseSpec)
    {
        var scale = c.Object("scale");
        foreach (var (key, _) in scale ?? [])
        {
            if (!KnownScales.Contains(key))
            {
                throw c.Fail($"unknown scale '{key}' (expected compute, memoryBandwidth, memory, power)");
            }
        }
        double Factor(string name) => scale is null ? 1.0 : c.Number(scale, name) ?? 1.0;
        var basis = c.DefaultSource is null ? baseSpec.Id : $"{baseSpec.Id} per \"{c.DefaultSource}\"";
        var date = c.DefaultDate;
        return baseSpec with
        {
            Id = c.Id,
            Name = $"{baseSpec.Name} (what-if {c.Id})",
            Peak = baseSpec.Peak.Scale(Factor("compute"), basis, date),
            MemoryGiB = baseSpec.MemoryGiB?.Scale(Factor("memory"), basis, date),
            MemoryBandwidthGBps = baseSpec.MemoryBandwidthGBps?.Scale(Factor("memoryBandwidth"), basis, date),
            PowerW = baseSpec.PowerW?.Scale(Factor("power"), basis, date),
            Hypothetical = true,
            BasedOn = baseSpec.Id,
            Note = null,
        };
    }

    private static DeviceSpec Apply(CatalogEntryContext c, DeviceSpec spec)
    {
        var e = c.Entry;
        spec = spec with
        {
            Name = c.String("name") ?? spec.Name,
            Vendor = c.String("vendor") ?? spec.Vendor,
            Class = c.String("class") is { } cls ? ParseClass(c, cls) : spec.Class,
            Unit = c.String("unit") ?? spec.Unit,
            Note = c.String("note") ?? spec.Note,
            Hypothetical = c.Bool("hypothetical") ?? spec.Hypothetical,
        };
        if (spec.Unit is not ("chip" or "core"))
        {
            throw c.Fail($"'unit' must be chip or core; got '{spec.Unit}'");
        }
        if (c.Object("peak") is { } peak)
        {
            var p = spec.Peak;
            foreach (var (key, _) in peak)
            {
                if (!Enum.TryParse<NumericFormat>(key, ignoreCase: true, out var format) || !char.IsLower(key[0]))
                {
                    throw c.Fail($"unknown peak format '{key}' (expected fp32, tf32, bf16, fp16, fp8, int8)");
                }
                p = p.With(format, c.Figure(peak, key, "peak." + key));
            }
            spec = spec with { Peak = p };
        }
        if (c.Has("memoryGiB"))
        {
            spec = spec with { MemoryGiB = c.Figure(e, "memoryGiB") };
        }
        if (c.Has("memoryBandwidthGBps"))
        {
            spec = spec with { MemoryBandwidthGBps = c.Figure(e, "memoryBandwidthGBps") };
        }
        if (c.Has("powerW"))
        {
            spec = spec with { PowerW = c.Figure(e, "powerW") };
        }
        if (c.Has("interconnect"))
        {
            var link = c.Object("interconnect");
            spec = spec with
            {
                Interconnect = link is null ? null
                    : new Interconnect(c.String(link, "name") ?? throw c.Fail("'interconnect' needs a 'name'"),
                        c.Figure(link, "bandwidthGBps", "interconnect.bandwidthGBps")),
            };
        }
        return spec;
    }

    private static DeviceClass ParseClass(CatalogEntryContext c, string value) =>
        Enum.TryParse<DeviceClass>(value, ignoreCase: true, out var cls) && !int.TryParse(value, out _) ? cls
            : throw c.Fail($"unknown class '{value}' (expected gpu, cpu, inferentia, trainium or tpu)");
}
