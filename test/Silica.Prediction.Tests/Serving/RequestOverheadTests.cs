using Silica.Prediction.Serving;

namespace Silica.Prediction.Tests.Serving;

public sealed class RequestOverheadTests
{
    private static readonly BatcherPolicy Unbatched = new() { MaxBatchSize = 1 };

    private static readonly CurveServiceTime TwoMs = new([new(1, 0.002, 0.002)]);

    [Fact]
    public void At_InterpolatesBetweenPercentilesAndHoldsBeyond()
    {
        var o = new RequestOverhead([new(0.99, 0.020), new(0.5, 0.003), new(0.9, 0.005)]);

        Assert.Equal(0.003, o.At(0.1), 12);
        Assert.Equal(0.004, o.At(0.7), 12);
        Assert.Equal(0.0125, o.At(0.945), 12);
        Assert.Equal(0.020, o.At(1), 12);
        Assert.False(o.IsZero);
        Assert.True(RequestOverhead.None.IsZero);
    }

    [Fact]
    public void Run_ConstantOverhead_ShiftsEveryPercentileButNotUtilization()
    {
        var bare = BatcherSimulator.Run(Unbatched, TwoMs, 200);
        var shifted = BatcherSimulator.Run(Unbatched, TwoMs, 200, new SimulationOptions { Overhead = RequestOverhead.Constant(TimeSpan.FromMilliseconds(3)) });

        Assert.Equal(bare.P50Seconds + 0.003, shifted.P50Seconds, 9);
        Assert.Equal(bare.P99Seconds + 0.003, shifted.P99Seconds, 9);
        Assert.Equal(bare.MeanSeconds + 0.003, shifted.MeanSeconds, 9);
        Assert.Equal(bare.Utilization, shifted.Utilization);
    }

    [Fact]
    public void Run_TailOverhead_AddsMostAtTheTail()
    {
        var overhead = new RequestOverhead([new(0.5, 0.001), new(0.99, 0.030)]);
        var bare = BatcherSimulator.Run(Unbatched, TwoMs, 200);
        var r = BatcherSimulator.Run(Unbatched, TwoMs, 200, new SimulationOptions { Overhead = overhead });

        Assert.InRange(r.P50Seconds - bare.P50Seconds, 0.0009, 0.0011);
        Assert.InRange(r.P99Seconds - bare.P99Seconds, 0.029, 0.031);
    }

    [Fact]
    public void CalibrateOverhead_IsTheGapAtTheLightLoad_AndReproducesIt()
    {
        var policy = new BatcherPolicy { MaxBatchSize = 8, MaxQueueDelay = TimeSpan.FromMilliseconds(2) };
        var curve = new CurveServiceTime([new(1, 0.008, 0.012), new(8, 0.060, 0.080)]);
        var bare = BatcherSimulator.Run(policy, curve, 9);
        var measured = new MeasuredLatency(bare.P50Seconds + 0.003, bare.P90Seconds + 0.006, bare.P99Seconds + 0.020);

        var overhead = BatcherSimulator.CalibrateOverhead(policy, curve, 9, measured);
        var again = BatcherSimulator.Run(policy, curve, 9, new SimulationOptions { Overhead = overhead });

        Assert.Equal([0.003, 0.006, 0.020], overhead.Quantiles.Select(q => Math.Round(q.Seconds, 9)));
        Assert.InRange(again.P50Seconds, measured.P50Seconds - 0.0005, measured.P50Seconds + 0.0005);
        Assert.InRange(again.P99Seconds, measured.P99Seconds - 0.002, measured.P99Seconds + 0.002);
    }

    [Fact]
    public void CalibrateOverhead_MeasurementFasterThanSimulation_NeverNegative()
    {
        var overhead = BatcherSimulator.CalibrateOverhead(Unbatched, TwoMs, 10, new MeasuredLatency(0.001, 0.001, 0.001));
        Assert.True(overhead.IsZero);
    }

    [Fact]
    public void Constructor_NegativeOrMissing_Throws()
    {
        Assert.Throws<ArgumentException>(() => new RequestOverhead([]));
        Assert.Throws<ArgumentException>(() => new RequestOverhead([new(0.5, -0.001)]));
        Assert.Throws<ArgumentException>(() => new RequestOverhead([new(2, 0.001)]));
    }
}
