using Silica.Optimization.Calibration;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Calibration;

/// <summary>The KL threshold search on distributions whose answer is known in outline.</summary>
public sealed class EntropyCalibrationTests(ITestOutputHelper output)
{
    private static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    private static TensorStatistics Collect(float[] values)
    {
        var stats = new TensorStatistics();
        stats.AddRange(values);
        stats.StartHistogram();
        stats.AddHistogram(values);
        return stats;
    }

    private static TensorRange Entropy(TensorStatistics stats, int levels = 128) =>
        RangeSelector.Select(stats, CalibrationMethod.Entropy, 99.99, levels);

    [Fact]
    public void Select_GaussianSamples_ClipsBetweenTwoAndFourSigma()
    {
        // N(0, 1), 200k samples, max ~4.7σ. The search keeps most of the Gaussian (the steps' rounding near the
        // mode costs little, the sparse far tail only its last bin): 3-4.5σ, short of the max, on each side alike.
        var random = new Random(11);
        var values = new float[200_000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)Normal(random);
        }
        var stats = Collect(values);
        var range = Entropy(stats);
        output.WriteLine($"max |x| {stats.AbsMax:F3}, range [{range.Min:F3}, {range.Max:F3}]");
        Assert.InRange(range.Max, 3.0, 4.5);
        Assert.InRange(range.Min, -4.5, -3.0);
        Assert.True(range.Max < stats.Max && range.Min > stats.Min, "kept the extremes");
        Assert.InRange(range.Max / -range.Min, 0.85, 1.15);
    }

    [Fact]
    public void Select_TinyFarOutlier_ClipsWellBelowTheMax()
    {
        // Uniform on [-1, 1] plus one value at 50. With 2048 bins over [0, 50] and 128 steps the narrowest
        // candidate is 128 bins (3.125), which already holds the whole bulk: the search must stop near there.
        var random = new Random(3);
        var values = new float[100_000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)(random.NextDouble() * 2 - 1);
        }
        values[17] = 50;
        var range = Entropy(Collect(values));
        output.WriteLine($"range [{range.Min:F3}, {range.Max:F3}]");
        Assert.InRange(range.Max, 3.1, 4.0);
        Assert.InRange(range.Min, -1.0, -0.9);
    }

    [Fact]
    public void Select_ReluOutputHalfZeros_KeepsMostOfTheRange()
    {
        // max(0, N(0, 1)): half the values are exact zeros. They are exact at any range; the search must not let
        // them pull the threshold down to the narrowest candidate (255/2048 of the max with 255 steps).
        var random = new Random(5);
        var values = new float[200_000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)Math.Max(0, Normal(random));
        }
        var stats = Collect(values);
        var range = Entropy(stats, levels: 255);
        output.WriteLine($"max {stats.Max:F3}, zeros {stats.Zeros}, range [{range.Min:F3}, {range.Max:F3}]");
        Assert.Equal(0, range.Min);
        Assert.True(range.Max > 0.5 * stats.Max, $"clipped to {range.Max} of {stats.Max}");
    }

    [Fact]
    public void Select_PointMassInsideTheBulk_DoesNotNarrowTheRange()
    {
        // Uniform on [0, 1] plus 40% of the values at exactly 0.5 (a flat region's constant response). The point mass
        // lands on one code at any range; without it the search keeps [0, 1], and it must keep it with it too.
        var random = new Random(9);
        var values = new float[200_000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = i % 5 < 2 ? 0.5f : (float)random.NextDouble();
        }
        var range = Entropy(Collect(values), levels: 255);
        output.WriteLine($"range [{range.Min:F3}, {range.Max:F3}]");
        Assert.True(range.Max > 0.9, $"clipped to {range.Max}");
    }

    [Fact]
    public void Select_NegativePointMassAndPositiveCluster_EachEndOnItsOwn()
    {
        // The shape of the recognizer's hardswish outputs: most values at one negative constant (-0.044, padding),
        // a positive bulk up to 0.044, and 2% in a cluster at 0.28-0.35. Folded into one |x| histogram the negative
        // spike set the upper end at 0.044 and dropped the cluster; each sign searched on its own keeps it.
        var random = new Random(13);
        var values = new float[200_000];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (i % 100) switch
            {
                < 50 => -0.044f,
                < 98 => (float)(random.NextDouble() * 0.044),
                _ => (float)(0.28 + random.NextDouble() * 0.07),
            };
        }
        var range = Entropy(Collect(values));
        output.WriteLine($"range [{range.Min:F4}, {range.Max:F4}]");
        Assert.True(range.Max > 0.3, $"upper end {range.Max} drops the cluster");
        Assert.InRange(range.Min, -0.0441, -0.04);
    }

    [Fact]
    public void FlattenSpikes_LeavesSmoothAndSparseHistogramsAlone()
    {
        var smooth = Enumerable.Range(0, 256).Select(k => (long)(1000 + 10 * k)).ToArray();
        Assert.Equal(smooth, EntropyCalibration.FlattenSpikes(smooth));
        // Sparse: isolated counts among empty bins (8-bit pixels over 2048 bins) are data, not point masses.
        var sparse = new long[2048];
        for (var k = 0; k < sparse.Length; k += 8)
        {
            sparse[k] = 500;
        }
        Assert.Equal(sparse, EntropyCalibration.FlattenSpikes(sparse));
        var spiky = (long[])smooth.Clone();
        spiky[100] = 50_000;
        Assert.InRange(EntropyCalibration.FlattenSpikes(spiky)[100], smooth[100] - 100, smooth[100] + 100);
    }

    [Fact]
    public void Threshold_AllMassInTheFirstBins_ReturnsTheNarrowestCandidate()
    {
        // Everything in the first 10 bins, nothing further: no candidate needs more than 128 bins.
        var hist = new long[2048];
        for (var k = 0; k < 10; k++)
        {
            hist[k] = 100;
        }
        Assert.Equal(10 * 0.5, EntropyCalibration.Threshold(hist, 0.5, 128));
    }
}
