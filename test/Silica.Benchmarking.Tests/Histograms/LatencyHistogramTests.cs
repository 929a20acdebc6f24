using Silica.Benchmarking.Histograms;

namespace Silica.Benchmarking.Tests.Histograms;

public class LatencyHistogramTests
{
    private static readonly double[] Percentiles = [50, 90, 95, 99, 99.9, 100];

    [Theory]
    [InlineData("uniform", 1)]
    [InlineData("uniform", 2)]
    [InlineData("exponential", 3)]
    [InlineData("lognormal", 4)]
    [InlineData("bimodal", 5)]
    public void GetValueAtPercentile_KnownDistribution_WithinOnePercentOfExact(string distribution, int seed)
    {
        var values = Draw(distribution, seed, 100_000);
        var histogram = new LatencyHistogram();
        foreach (var v in values)
        {
            histogram.RecordNanoseconds(v);
        }

        Array.Sort(values);
        foreach (var p in Percentiles)
        {
            var exact = NearestRank(values, p);
            var estimate = histogram.GetValueAtPercentile(p);
            Assert.True(Math.Abs(estimate - exact) <= 0.01 * exact, $"p{p}: histogram {estimate} ns, exact {exact} ns");
        }

        Assert.Equal(values.Length, histogram.Count);
        Assert.Equal(values[0], histogram.MinNanoseconds);
        Assert.Equal(values[^1], histogram.MaxNanoseconds);
        Assert.Equal(values.Average(), histogram.MeanNanoseconds, 1e-6 * values.Average());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(255L)]
    [InlineData(256L)]
    [InlineData(1_000L)]
    [InlineData(123_456_789L)]
    [InlineData(LatencyHistogram.MaxTrackableNanoseconds)]
    public void IndexOf_AnyValue_BucketMidpointWithinHalfPercent(long value)
    {
        var index = LatencyHistogram.IndexOf(value);
        Assert.InRange(index, 0, LatencyHistogram.BucketCount - 1);
        Assert.True(Math.Abs(LatencyHistogram.MidpointOf(index) - value) <= Math.Max(0.005 * value, 0.5), $"value {value}, midpoint {LatencyHistogram.MidpointOf(index)}");
    }

    [Fact]
    public void RecordNanoseconds_OutOfRange_ClampedToTrackableRange()
    {
        var histogram = new LatencyHistogram();
        histogram.RecordNanoseconds(-5);
        histogram.RecordNanoseconds(LatencyHistogram.MaxTrackableNanoseconds * 10);

        Assert.Equal(0, histogram.MinNanoseconds);
        Assert.Equal(LatencyHistogram.MaxTrackableNanoseconds, histogram.MaxNanoseconds);
        Assert.Equal(2, histogram.Count);
    }

    [Fact]
    public void Add_TwoHalves_EqualsHistogramOfAll()
    {
        var values = Draw("lognormal", 7, 50_000);
        var all = new LatencyHistogram();
        var first = new LatencyHistogram();
        var second = new LatencyHistogram();
        for (var i = 0; i < values.Length; i++)
        {
            all.RecordNanoseconds(values[i]);
            (i % 2 == 0 ? first : second).RecordNanoseconds(values[i]);
        }

        first.Add(second);

        Assert.Equal(all.Count, first.Count);
        Assert.Equal(all.MinNanoseconds, first.MinNanoseconds);
        Assert.Equal(all.MaxNanoseconds, first.MaxNanoseconds);
        Assert.Equal(all.MeanNanoseconds, first.MeanNanoseconds, 1e-9);
        foreach (var p in Percentiles)
        {
            Assert.Equal(all.GetValueAtPercentile(p), first.GetValueAtPercentile(p));
        }
    }

    [Fact]
    public void RecordNanoseconds_ConcurrentWriters_LosesNoValues()
    {
        const int Threads = 4;
        const int PerThread = 100_000;
        var histogram = new LatencyHistogram();
        var sequential = new LatencyHistogram();
        Parallel.For(0, Threads, new ParallelOptions { MaxDegreeOfParallelism = Threads }, t =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                histogram.RecordNanoseconds(1_000 + (i * 7L));
            }
        });
        for (var t = 0; t < Threads; t++)
        {
            for (var i = 0; i < PerThread; i++)
            {
                sequential.RecordNanoseconds(1_000 + (i * 7L));
            }
        }

        Assert.Equal(Threads * PerThread, histogram.Count);
        Assert.Equal(sequential.GetValueAtPercentile(99), histogram.GetValueAtPercentile(99));
        Assert.Equal(sequential.MeanNanoseconds, histogram.MeanNanoseconds, 1e-9);
    }

    [Fact]
    public void Summarize_Empty_AllZero()
    {
        var summary = new LatencyHistogram().Summarize();

        Assert.Equal(0, summary.Count);
        Assert.Equal(0, summary.P99Us);
        Assert.Equal(0, summary.MaxUs);
        Assert.Equal(0, summary.MeanUs);
    }

    [Fact]
    public void Summarize_KnownValues_ReportsMicroseconds()
    {
        var histogram = new LatencyHistogram();
        for (var us = 1; us <= 1000; us++)
        {
            histogram.Record(TimeSpan.FromMicroseconds(us));
        }

        var summary = histogram.Summarize();

        Assert.Equal(500, summary.P50Us, 500 * 0.01);
        Assert.Equal(990, summary.P99Us, 990 * 0.01);
        Assert.Equal(1000, summary.MaxUs);
        Assert.Equal(1, summary.MinUs);
        Assert.Equal(500.5, summary.MeanUs, 1e-9);
    }

    private static long NearestRank(long[] sorted, double percentile)
    {
        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * sorted.Length));
        return sorted[rank - 1];
    }

    private static long[] Draw(string distribution, int seed, int count)
    {
        var random = new Random(seed);
        var values = new long[count];
        for (var i = 0; i < count; i++)
        {
            var u = random.NextDouble();
            var ns = distribution switch
            {
                "uniform" => 1_000 + (u * 60e9),
                "exponential" => 1_000 - (Math.Log(1 - u) * 2e6),
                "lognormal" => Math.Exp(13 + (2 * Normal(random))),
                "bimodal" => u < 0.97 ? 50_000 + (random.NextDouble() * 10_000) : 200e6 + (random.NextDouble() * 1e6),
                _ => throw new ArgumentOutOfRangeException(nameof(distribution)),
            };
            values[i] = Math.Clamp((long)ns, 1_000, LatencyHistogram.MaxTrackableNanoseconds);
        }

        return values;
    }

    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
