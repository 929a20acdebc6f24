using Silica.Prediction.Serving;

namespace Silica.Prediction.Tests.Serving;

public sealed class QuantileServiceTimeTests
{
    /// <summary>Batch 1: 1 ms typical with a 50 ms stall in the last 1%; batch 4: everything three times slower.</summary>
    private static readonly QuantileServiceTime Stalling = new(
    [
        new(4, [new(0, 0.003), new(0.5, 0.0033), new(0.99, 0.006), new(1, 0.150)]),
        new(1, [new(0, 0.001), new(0.5, 0.0011), new(0.99, 0.002), new(1, 0.050)]),
    ]);

    [Theory]
    [InlineData(1, 0.0, 0.001)]
    [InlineData(1, 0.25, 0.00105)]
    [InlineData(1, 0.5, 0.0011)]
    [InlineData(1, 0.995, 0.026)]
    [InlineData(1, 1.0, 0.050)]
    [InlineData(4, 0.5, 0.0033)]
    [InlineData(2, 0.5, 0.0011 + (0.0022 / 3))] // a third of the way from batch 1 to batch 4
    [InlineData(7, 0.5, 0.0055)] // extrapolated: 0.73 ms per row beyond batch 4
    public void Quantile_InterpolatesInProbabilityAndBatch(int rows, double p, double expected)
    {
        Assert.Equal(expected, Stalling.Quantile(rows, p), 12);
    }

    [Fact]
    public void Sample_ReproducesTheMeasuredQuantilesIncludingTheTail()
    {
        var random = new Random(3);
        var draws = Enumerable.Range(0, 200_000).Select(_ => Stalling.Sample(1, random)).Order().ToArray();

        Assert.InRange(draws[draws.Length / 2], 0.0011 * 0.99, 0.0011 * 1.01);
        Assert.InRange(draws[(int)(draws.Length * 0.99)], 0.002 * 0.95, 0.002 * 1.1);
        // The top 1% spreads evenly from 2 ms to 50 ms: a lognormal through p50 and p99 would put p99.9 near 2.4 ms.
        Assert.InRange(draws[(int)(draws.Length * 0.999)], 0.040, 0.050);
        Assert.Equal(0.0011, Stalling.Median(1), 12);
    }

    [Fact]
    public void Constructor_FallingQuantiles_AreMadeMonotone()
    {
        // Histogram rounding can make p95 read a hair below p90; the quantile function must not fall.
        var model = new QuantileServiceTime([new(1, [new(0.5, 0.002), new(0.9, 0.003), new(0.95, 0.0029), new(1, 0.004)])]);
        Assert.Equal(0.003, model.Quantile(1, 0.95), 12);
    }

    public static TheoryData<ServiceDistribution[]> BadDistributions => new()
    {
        Array.Empty<ServiceDistribution>(),
        new ServiceDistribution[] { new(1, []) },
        new ServiceDistribution[] { new(0, [new(0.5, 0.001)]) },
        new ServiceDistribution[] { new(1, [new(1.5, 0.001)]) },
        new ServiceDistribution[] { new(1, [new(0.5, 0.001), new(0.5, 0.002)]) },
        new ServiceDistribution[] { new(1, [new(0.5, 0)]) },
        new ServiceDistribution[] { new(1, [new(0.5, 0.001)]), new(1, [new(0.5, 0.002)]) },
    };

    [Theory]
    [MemberData(nameof(BadDistributions))]
    public void Constructor_BadDistributions_ThrowOneLineArgumentException(ServiceDistribution[] distributions)
    {
        var e = Assert.Throws<ArgumentException>(() => new QuantileServiceTime(distributions));
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Run_HeavyTailedService_RaisesP99AboveTheLognormalFitOfTheSameP50AndP99()
    {
        // Same p50 and p99 per batch, but the quantile model keeps the 50 ms stalls that block the queue behind them.
        var lognormal = new CurveServiceTime([new(1, 0.0011, 0.002), new(4, 0.0033, 0.006)]);
        var policy = new BatcherPolicy { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.FromMilliseconds(1) };

        var stalls = BatcherSimulator.Run(policy, Stalling, 300);
        var smooth = BatcherSimulator.Run(policy, lognormal, 300);

        Assert.True(stalls.P99Seconds > 2 * smooth.P99Seconds, $"quantiles {stalls.P99Seconds * 1000:F2} ms, lognormal {smooth.P99Seconds * 1000:F2} ms");
        Assert.InRange(stalls.P50Seconds / smooth.P50Seconds, 0.8, 1.25);
    }
}
