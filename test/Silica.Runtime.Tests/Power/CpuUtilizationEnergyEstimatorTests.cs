using Microsoft.Extensions.Time.Testing;
using Silica.Runtime.Power;

namespace Silica.Runtime.Tests.Power;

public sealed class CpuUtilizationEnergyEstimatorTests
{
    [Theory]
    [InlineData(40.0, 10.0, 100.0, 4, 100.0)] // all 4 cores busy for 10 s at 100 W TDP: 1000 J
    [InlineData(10.0, 10.0, 100.0, 4, 25.0)]  // one core's worth: a quarter
    [InlineData(0.0, 10.0, 100.0, 4, 0.0)]
    [InlineData(8.0, 1.0, 100.0, 4, 100.0)]   // more CPU time than the cores allow (clock skew): clamped
    public void Measure_CpuTimeOverWall_ScalesTdp(double cpuSeconds, double wallSeconds, double tdp, int cores, double expectedWatts)
    {
        var time = new FakeTimeProvider();
        var cpu = TimeSpan.Zero;
        var meter = new CpuUtilizationEnergyEstimator(tdp, cores, time, () => cpu);

        var start = meter.Read();
        cpu = TimeSpan.FromSeconds(cpuSeconds);
        time.Advance(TimeSpan.FromSeconds(wallSeconds));
        var m = meter.Measure(start, meter.Read());

        Assert.Equal(expectedWatts, m.AverageWatts, 6);
        Assert.Equal(expectedWatts * wallSeconds, m.Joules, 6);
        Assert.Equal(EnergySource.Estimated, m.Source);
        Assert.Equal("estimated", m.SourceLabel);
        Assert.StartsWith("estimated: 100 W TDP", m.Method, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_RealProcess_CountsOwnCpuTime()
    {
        var meter = new CpuUtilizationEnergyEstimator(65);
        var start = meter.Read();
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var x = 0.0;
        while (sw.ElapsedMilliseconds < 100)
        {
            x += Math.Sqrt(x + 1);
        }
        var m = meter.Measure(start, meter.Read());

        Assert.True(m.Joules > 0, $"no energy estimated (x={x})");
        Assert.True(m.AverageWatts <= 65.0001, $"{m.AverageWatts} W exceeds TDP");
    }
}
