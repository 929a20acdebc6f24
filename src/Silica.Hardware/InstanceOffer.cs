namespace Silica.Hardware;

/// <summary>
/// Something you can rent (or already own): a cloud instance type in a region with its devices, host vCPUs and
/// memory and its on-demand price, or this machine (<see cref="InstanceKind.Local"/>).
/// </summary>
public sealed record InstanceOffer
{
    /// <summary>Catalog id, compared case-insensitively (<c>inf2.xlarge</c>, <c>ct5lp-hightpu-1t</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Cloud or local.</summary>
    public InstanceKind Kind { get; init; } = InstanceKind.Cloud;

    /// <summary><c>aws</c>, <c>gcp</c> or <c>local</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>Region the price applies to (<c>us-east-1</c>); null for local.</summary>
    public string? Region { get; init; }

    /// <summary>Id of the <see cref="DeviceSpec"/> it carries.</summary>
    public required string DeviceId { get; init; }

    /// <summary>How many devices (chips, GPUs, or physical cores for CPU devices).</summary>
    public int DeviceCount { get; init; } = 1;

    /// <summary>Host vCPUs.</summary>
    public int VCpus { get; init; }

    /// <summary>Host memory in GiB.</summary>
    public SourcedValue? MemoryGiB { get; init; }

    /// <summary>Host DRAM bandwidth available to the instance in GB/s (CPU instances); null when the device figure applies.</summary>
    public SourcedValue? MemoryBandwidthGBps { get; init; }

    /// <summary>On-demand price in USD per hour; null only for unpriced local machines.</summary>
    public SourcedValue? PricePerHour { get; init; }

    /// <summary>True for what-if instances derived from a real one (<see cref="BasedOn"/>).</summary>
    public bool Hypothetical { get; init; }

    /// <summary>The id this instance was derived from, when hypothetical.</summary>
    public string? BasedOn { get; init; }

    /// <summary>Free-text caveat for the whole entry.</summary>
    public string? Note { get; init; }

    /// <summary>Every figure of this instance with a short name, nulls skipped.</summary>
    public IEnumerable<(string Name, SourcedValue Value)> Figures()
    {
        if (MemoryGiB is not null)
        {
            yield return ("memoryGiB", MemoryGiB);
        }
        if (MemoryBandwidthGBps is not null)
        {
            yield return ("memoryBandwidthGBps", MemoryBandwidthGBps);
        }
        if (PricePerHour is not null)
        {
            yield return ("pricePerHour", PricePerHour);
        }
    }
}
