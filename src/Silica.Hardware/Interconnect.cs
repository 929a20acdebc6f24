namespace Silica.Hardware;

/// <summary>How a device talks to its peers or host: NVLink 4, PCIe Gen4 x16, NeuronLink-v2, ICI.</summary>
/// <param name="Name">The link's name.</param>
/// <param name="BandwidthGBps">Per-device bandwidth in GB/s, or null when not published.</param>
public sealed record Interconnect(string Name, SourcedValue? BandwidthGBps);
