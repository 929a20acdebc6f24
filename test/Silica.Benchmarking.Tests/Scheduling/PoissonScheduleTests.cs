using System.Diagnostics;
using Silica.Benchmarking.Scheduling;

namespace Silica.Benchmarking.Tests.Scheduling;

public class PoissonScheduleTests
{
    [Theory]
    [InlineData(100.0, 42)]
    [InlineData(20_000.0, 42)]
    [InlineData(20_000.0, 7)]
    [InlineData(1_000_000.0, 1)]
    public void FillGaps_FixedSeed_MeanWithinTwoPercentAndExponentialByKs(double rate, int seed)
    {
        var gaps = new double[100_000];
        new PoissonSchedule(rate, seed).FillGaps(gaps);

        var mean = gaps.Average();
        Assert.True(Math.Abs((mean * rate) - 1) < 0.02, $"mean gap {mean * 1e6:F3} µs vs {1e6 / rate:F3} µs");
        var d = KolmogorovSmirnov.ExponentialStatistic(gaps, rate);
        var critical = KolmogorovSmirnov.CriticalValue(gaps.Length, 0.01);
        Assert.True(d < critical, $"KS D = {d:F5} >= critical {critical:F5}");
    }

    [Fact]
    public void ExponentialStatistic_WrongRate_RejectedByKs()
    {
        // The check above must be able to fail: gaps at 10% above the claimed rate are rejected.
        var gaps = new double[100_000];
        new PoissonSchedule(1100, 42).FillGaps(gaps);

        var d = KolmogorovSmirnov.ExponentialStatistic(gaps, 1000);

        Assert.True(d > KolmogorovSmirnov.CriticalValue(gaps.Length, 0.01), $"KS D = {d:F5}");
    }

    [Fact]
    public void ExponentialStatistic_EvenlySpacedGaps_RejectedByKs()
    {
        var gaps = Enumerable.Repeat(0.001, 10_000).ToArray();

        var d = KolmogorovSmirnov.ExponentialStatistic(gaps, 1000);

        Assert.True(d > KolmogorovSmirnov.CriticalValue(gaps.Length, 0.01), $"KS D = {d:F5}");
    }

    [Theory]
    [InlineData(100, 0.01, 0.16276)]
    [InlineData(10_000, 0.05, 0.013581)]
    public void CriticalValue_KnownTable_MatchesAsymptoticFormula(int n, double alpha, double expected)
    {
        Assert.Equal(expected, KolmogorovSmirnov.CriticalValue(n, alpha), 4);
    }

    [Fact]
    public void CreateArrivalOffsets_SameSeed_SameSchedule()
    {
        var a = new PoissonSchedule(5000, 3).CreateArrivalOffsets(1000);
        var b = new PoissonSchedule(5000, 3).CreateArrivalOffsets(1000);
        var c = new PoissonSchedule(5000, 4).CreateArrivalOffsets(1000);

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void CreateArrivalOffsets_LongSchedule_NonDecreasingWithRateWithinTwoPercent()
    {
        const double Rate = 20_000;
        var offsets = new PoissonSchedule(Rate, 42).CreateArrivalOffsets(200_000);

        for (var i = 1; i < offsets.Length; i++)
        {
            Assert.True(offsets[i] >= offsets[i - 1]);
        }

        var seconds = (double)offsets[^1] / Stopwatch.Frequency;
        Assert.InRange(offsets.Length / seconds, Rate * 0.98, Rate * 1.02);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-1.0)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_BadRate_Throws(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PoissonSchedule(rate, 1));
    }
}
