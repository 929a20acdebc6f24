using System.Globalization;
using System.Text.RegularExpressions;

namespace Silica.Runtime.Power;

/// <summary>
/// Reads CPU package energy from Linux powercap/RAPL (<c>/sys/class/powercap/intel-rapl:N/energy_uj</c>;
/// AMD CPUs expose the same files). Counts whole packages, not one process. Each counter wraps at
/// <c>max_energy_range_uj</c>; one wrap between readings is corrected, so read at least every few minutes.
/// </summary>
public sealed partial class RaplPowerMeter : IPowerMeter
{
    /// <summary>Where Linux exposes powercap zones.</summary>
    public const string DefaultRoot = "/sys/class/powercap";

    private readonly Zone[] _zones;
    private readonly TimeProvider _time;

    /// <summary>Finds the top-level RAPL zones under <paramref name="root"/>.</summary>
    /// <param name="root">The powercap folder (a fake one in tests).</param>
    /// <param name="timeProvider">Clock for durations.</param>
    public RaplPowerMeter(string root = DefaultRoot, TimeProvider? timeProvider = null)
    {
        _time = timeProvider ?? TimeProvider.System;
        (_zones, UnavailableReason) = Discover(root);
        Method = _zones.Length > 0 ? "rapl:" + string.Join("+", _zones.Select(z => z.Name)) : "rapl";
    }

    /// <inheritdoc/>
    public string Method { get; }

    /// <inheritdoc/>
    public EnergySource Source => EnergySource.Measured;

    /// <inheritdoc/>
    public bool IsAvailable => UnavailableReason is null;

    /// <inheritdoc/>
    public string? UnavailableReason { get; }

    /// <inheritdoc/>
    public EnergyReading Read()
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException($"RAPL is not available: {UnavailableReason}");
        }
        var values = new long[_zones.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = ReadLong(Path.Combine(_zones[i].Folder, "energy_uj"));
        }
        return new EnergyReading(_time.GetTimestamp(), values);
    }

    /// <inheritdoc/>
    public EnergyMeasurement Measure(EnergyReading start, EnergyReading end)
    {
        if (start.Counters.Count != _zones.Length || end.Counters.Count != _zones.Length)
        {
            throw new ArgumentException("the readings do not come from this meter");
        }
        long microjoules = 0;
        for (var i = 0; i < _zones.Length; i++)
        {
            var (a, b) = (start.Counters[i], end.Counters[i]);
            // The counter runs 0..max_energy_range_uj and restarts at 0.
            microjoules += b >= a ? b - a : _zones[i].MaxRange - a + b;
        }
        return new EnergyMeasurement(microjoules / 1e6, _time.GetElapsedTime(start.Timestamp, end.Timestamp), Source, Method);
    }

    private static (Zone[] Zones, string? Reason) Discover(string root)
    {
        if (!Directory.Exists(root))
        {
            return ([], $"'{root}' does not exist (no powercap support)");
        }
        var zones = new List<Zone>();
        foreach (var dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
        {
            // Top-level zones only (intel-rapl:0); sub-zones (intel-rapl:0:0, cores/uncore/dram) are parts of a package.
            if (!TopLevelZone().IsMatch(Path.GetFileName(dir)))
            {
                continue;
            }
            var name = File.Exists(Path.Combine(dir, "name")) ? File.ReadAllText(Path.Combine(dir, "name")).Trim() : Path.GetFileName(dir);
            if (name == "psys")
            {
                // Platform zone: includes the packages, so adding it would double count.
                continue;
            }
            try
            {
                var max = ReadLong(Path.Combine(dir, "max_energy_range_uj"));
                ReadLong(Path.Combine(dir, "energy_uj"));
                zones.Add(new Zone(dir, name, max));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
            {
                var hint = e is UnauthorizedAccessException ? " (energy_uj is readable by root only since Linux 5.10)" : "";
                return ([], $"cannot read {dir}: {e.Message}{hint}");
            }
        }
        return zones.Count == 0 ? ([], $"no RAPL zones under '{root}'") : ([.. zones], null);
    }

    private static long ReadLong(string path) => long.Parse(File.ReadAllText(path).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^intel-rapl:\d+$")]
    private static partial Regex TopLevelZone();

    private sealed record Zone(string Folder, string Name, long MaxRange);
}
