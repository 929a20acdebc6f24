namespace Silica.Hardware;

/// <summary>
/// One device in the catalog: a GPU, an accelerator chip, or one physical CPU core (<see cref="Unit"/> says which),
/// with its dense peak throughput, memory, bandwidth, power and interconnect, each figure sourced and dated.
/// </summary>
public sealed record DeviceSpec
{
    /// <summary>Catalog id, compared case-insensitively (<c>h100-sxm</c>, <c>inferentia2</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Full product name.</summary>
    public required string Name { get; init; }

    /// <summary>Who makes it.</summary>
    public string Vendor { get; init; } = "";

    /// <summary>GPU, CPU, Inferentia, Trainium or TPU.</summary>
    public required DeviceClass Class { get; init; }

    /// <summary>What one device is: <c>chip</c> for accelerators, <c>core</c> for CPUs (figures per physical core).</summary>
    public string Unit { get; init; } = "chip";

    /// <summary>Dense peak throughput per number format.</summary>
    public PeakThroughput Peak { get; init; } = PeakThroughput.None;

    /// <summary>Device memory in GiB; null for CPU cores, whose memory comes with the instance.</summary>
    public SourcedValue? MemoryGiB { get; init; }

    /// <summary>Memory bandwidth in GB/s (a proportional share of the socket for CPU cores).</summary>
    public SourcedValue? MemoryBandwidthGBps { get; init; }

    /// <summary>TDP or board power in W; null when the vendor does not publish it.</summary>
    public SourcedValue? PowerW { get; init; }

    /// <summary>Device-to-device or device-to-host link; null for CPU cores.</summary>
    public Interconnect? Interconnect { get; init; }

    /// <summary>True for what-if devices derived from a real one (<see cref="BasedOn"/>); they do not exist yet.</summary>
    public bool Hypothetical { get; init; }

    /// <summary>The id this device was derived from, when hypothetical.</summary>
    public string? BasedOn { get; init; }

    /// <summary>True for the device described from this machine at run time (<c>/proc/cpuinfo</c>).</summary>
    public bool Local { get; init; }

    /// <summary>Free-text caveat for the whole entry.</summary>
    public string? Note { get; init; }

    /// <summary>Every figure of this device with a short name (<c>peak.bf16</c>, <c>memoryBandwidthGBps</c>), nulls skipped.</summary>
    public IEnumerable<(string Name, SourcedValue Value)> Figures()
    {
        foreach (var (format, peak) in Peak.All())
        {
            if (peak is not null)
            {
                yield return ($"peak.{format.ToString().ToLowerInvariant()}", peak);
            }
        }
        if (MemoryGiB is not null)
        {
            yield return ("memoryGiB", MemoryGiB);
        }
        if (MemoryBandwidthGBps is not null)
        {
            yield return ("memoryBandwidthGBps", MemoryBandwidthGBps);
        }
        if (PowerW is not null)
        {
            yield return ("powerW", PowerW);
        }
        if (Interconnect?.BandwidthGBps is { } link)
        {
            yield return ("interconnect.bandwidthGBps", link);
        }
    }
}
