using System.Diagnostics;
using Silica.Benchmarking.Scheduling;

namespace Silica.Benchmarking.Tests.Scheduling;

public sealed class ConditionedScheduleTests
{
    [Theory]
    [InlineData(3.0, 1.0, 30.0)]
    [InlineData(250.0, 0.5, 4.0)]
    [InlineData(20_000.0, 1.0, 2.0)]
    public void ConditionOnCounts_ExactCountsAtBreakpoints(double rate, double warmup, double span)
    {
        var count = (int)(rate * (warmup + span) * 1.5) + 16;
        var offsets = new PoissonSchedule(rate, seed: 5).CreateArrivalOffsets(count);

        PoissonSchedule.ConditionOnCounts(offsets, rate, [warmup, warmup + span]);

        foreach (var t in new[] { warmup, warmup + span })
        {
            var before = offsets.Count(o => o < (long)(t * Stopwatch.Frequency));
            Assert.Equal((int)Math.Round(rate * t), before);
        }
        Assert.True(offsets.Zip(offsets.Skip(1)).All(p => p.First <= p.Second), "arrivals must stay in order");
    }

    [Fact]
    public void ConditionOnCounts_GapsStillExponential()
    {
        const double rate = 1000;
        var offsets = new PoissonSchedule(rate, seed: 9).CreateArrivalOffsets(60_000);
        PoissonSchedule.ConditionOnCounts(offsets, rate, [1.0, 50.0]);
        var gaps = offsets.Zip(offsets.Skip(1)).Select(p => (p.Second - p.First) / (double)Stopwatch.Frequency).Take(49_000).ToArray();

        var d = KolmogorovSmirnov.ExponentialStatistic(gaps, rate);

        Assert.True(d < KolmogorovSmirnov.CriticalValue(gaps.Length, 0.01), $"KS D = {d}");
    }
}
