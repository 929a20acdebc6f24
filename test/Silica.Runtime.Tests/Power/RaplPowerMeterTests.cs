using Microsoft.Extensions.Time.Testing;
using Silica.Runtime.Power;

namespace Silica.Runtime.Tests.Power;

public sealed class RaplPowerMeterTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("silica-rapl-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Zone(string folder, string name, long energy, long max = 262_143_328_850)
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, folder)).FullName;
        File.WriteAllText(Path.Combine(dir, "name"), name + "\n");
        File.WriteAllText(Path.Combine(dir, "energy_uj"), energy + "\n");
        File.WriteAllText(Path.Combine(dir, "max_energy_range_uj"), max + "\n");
    }

    private void SetEnergy(string folder, long energy) => File.WriteAllText(Path.Combine(_root, folder, "energy_uj"), energy + "\n");

    [Fact]
    public void Measure_TwoPackages_SumsPackagesAndIgnoresSubzonesAndPsys()
    {
        var time = new FakeTimeProvider();
        Zone("intel-rapl:0", "package-0", 1_000_000);
        Zone("intel-rapl:1", "package-1", 5_000_000);
        Zone("intel-rapl:0:0", "core", 0);
        Zone("intel-rapl:2", "psys", 0);
        var meter = new RaplPowerMeter(_root, time);

        var start = meter.Read();
        SetEnergy("intel-rapl:0", 3_500_000);
        SetEnergy("intel-rapl:1", 6_000_000);
        SetEnergy("intel-rapl:0:0", 99_000_000);
        SetEnergy("intel-rapl:2", 99_000_000);
        time.Advance(TimeSpan.FromSeconds(2));
        var m = meter.Measure(start, meter.Read());

        Assert.True(meter.IsAvailable);
        Assert.Equal("rapl:package-0+package-1", meter.Method);
        Assert.Equal(3.5, m.Joules, 9);
        Assert.Equal(TimeSpan.FromSeconds(2), m.Duration);
        Assert.Equal(1.75, m.AverageWatts, 9);
        Assert.Equal(EnergySource.Measured, m.Source);
        Assert.Equal("measured", m.SourceLabel);
    }

    [Fact]
    public void Measure_CounterWrapped_AddsRemainderOfRange()
    {
        Zone("intel-rapl:0", "package-0", 999_000, max: 1_000_000);
        var meter = new RaplPowerMeter(_root);

        var start = meter.Read();
        SetEnergy("intel-rapl:0", 4_000);
        var m = meter.Measure(start, meter.Read());

        Assert.Equal(0.005, m.Joules, 9);
    }

    [Fact]
    public void Constructor_NoZones_Unavailable()
    {
        var meter = new RaplPowerMeter(_root);

        Assert.False(meter.IsAvailable);
        Assert.Contains("no RAPL zones", meter.UnavailableReason, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => meter.Read());
    }

    [Fact]
    public void Constructor_MissingRoot_UnavailableNamingPath()
    {
        var meter = new RaplPowerMeter(Path.Combine(_root, "nope"));

        Assert.False(meter.IsAvailable);
        Assert.Contains("nope' does not exist", meter.UnavailableReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_UnparsableCounter_Unavailable()
    {
        Zone("intel-rapl:0", "package-0", 0);
        File.WriteAllText(Path.Combine(_root, "intel-rapl:0", "energy_uj"), "garbage");

        var meter = new RaplPowerMeter(_root);

        Assert.False(meter.IsAvailable);
        Assert.StartsWith("cannot read ", meter.UnavailableReason, StringComparison.Ordinal);
    }
}
