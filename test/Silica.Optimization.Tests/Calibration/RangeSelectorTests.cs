using Silica.Optimization.Calibration;

namespace Silica.Optimization.Tests.Calibration;

public sealed class RangeSelectorTests
{
    private static TensorStatistics Gaussian(int count, double outlier)
    {
        var random = new Random(7);
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            // Box-Muller: a standard normal sample.
            values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }
        values[0] = (float)outlier;
        var stats = new TensorStatistics();
        stats.AddRange(values);
        stats.StartHistogram();
        stats.AddHistogram(values);
        return stats;
    }

    [Fact]
    public void Select_MinMax_KeepsTheOutlier()
    {
        var range = RangeSelector.Select(Gaussian(100_000, 40), CalibrationMethod.MinMax, 99.99, 128);
        Assert.Equal(40, range.Max, 3);
    }

    [Fact]
    public void Select_Percentile_ClipsNearTheNormalQuantile()
    {
        // 99.9% of |N(0,1)| lies below 3.29.
        var range = RangeSelector.Select(Gaussian(100_000, 40), CalibrationMethod.Percentile, 99.9, 128);
        Assert.InRange(range.Max, 3.1, 3.5);
        Assert.InRange(range.Min, -3.5, -3.1);
    }

    [Fact]
    public void Select_Entropy_ClipsTheOutlierButKeepsTheBulk()
    {
        var range = RangeSelector.Select(Gaussian(100_000, 40), CalibrationMethod.Entropy, 99.99, 128);
        Assert.InRange(range.Max, 2.5, 10);
    }

    [Fact]
    public void KlDivergence_IdenticalDistributions_IsZero()
    {
        double[] p = [1, 2, 3, 0, 4];
        Assert.Equal(0, EntropyCalibration.KlDivergence(p, p), 12);
        Assert.True(EntropyCalibration.KlDivergence(p, [4, 3, 2, 0, 1]) > 0.1);
    }
}
