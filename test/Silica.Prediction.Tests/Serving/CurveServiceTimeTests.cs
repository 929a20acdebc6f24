using Silica.Prediction.Serving;

namespace Silica.Prediction.Tests.Serving;

public sealed class CurveServiceTimeTests
{
    private static readonly CurveServiceTime Curve = new([new(8, 0.005, 0.010), new(1, 0.001, 0.001), new(4, 0.003, 0.006)]);

    [Theory]
    [InlineData(1, 0.001)]
    [InlineData(2, 0.001 + (0.002 / 3))]
    [InlineData(4, 0.003)]
    [InlineData(6, 0.004)]
    [InlineData(8, 0.005)]
    [InlineData(12, 0.007)] // slope of the last segment: 0.5 ms per row
    [InlineData(16, 0.009)]
    public void Median_InterpolatesAndExtrapolatesLinearly(int rows, double expected)
    {
        Assert.Equal(expected, Curve.Median(rows), 12);
    }

    [Fact]
    public void Median_BelowTheFirstPoint_HoldsItsValue()
    {
        var curve = new CurveServiceTime([new(2, 0.002, 0.002), new(4, 0.003, 0.003)]);
        Assert.Equal(0.002, curve.Median(1), 12);
    }

    [Fact]
    public void Median_FallingCurve_NeverExtrapolatesBelowTheLastValue()
    {
        var curve = new CurveServiceTime([new(1, 0.004, 0.004), new(2, 0.003, 0.003)]);
        Assert.Equal(0.003, curve.Median(10), 12);
    }

    [Fact]
    public void Median_OnePoint_GrowsInProportionToRows()
    {
        var curve = new CurveServiceTime([new(2, 0.002, 0.002)]);
        Assert.Equal(0.002, curve.Median(1), 12);
        Assert.Equal(0.008, curve.Median(8), 12);
    }

    [Fact]
    public void Sigma_InterpolatesTheLogSpread()
    {
        var ln2 = Math.Log(2) / 2.3263478740408408;
        Assert.Equal(0, Curve.Sigma(1), 12);
        Assert.Equal(ln2, Curve.Sigma(4), 12);
        Assert.Equal(ln2 / 3, Curve.Sigma(2), 12);
        Assert.Equal(ln2, Curve.Sigma(20), 12);
    }

    [Fact]
    public void Sample_DrawsHaveTheCurvesMedianAndP99()
    {
        var random = new Random(1);
        var draws = Enumerable.Range(0, 200_000).Select(_ => Curve.Sample(8, random)).Order().ToArray();

        Assert.InRange(draws[draws.Length / 2], 0.005 * 0.99, 0.005 * 1.01);
        Assert.InRange(draws[(int)(draws.Length * 0.99)], 0.010 * 0.97, 0.010 * 1.03);
    }

    [Fact]
    public void Sample_NoSpread_IsDeterministic()
    {
        var random = new Random(1);
        Assert.All(Enumerable.Range(0, 100), _ => Assert.Equal(0.001, Curve.Sample(1, random)));
        // p99 below p50 (noise in a measurement) also means no spread.
        var inverted = new CurveServiceTime([new(1, 0.002, 0.0015)]);
        Assert.Equal(0.002, inverted.Sample(1, random));
    }

    [Fact]
    public void Points_RoundTripSorted()
    {
        Assert.Equal([1, 4, 8], Curve.Points.Select(p => p.Batch));
        Assert.Equal(0.010, Curve.Points[2].P99Seconds, 12);
    }

    public static TheoryData<ServicePoint[]> BadCurves => new()
    {
        Array.Empty<ServicePoint>(),
        new ServicePoint[] { new(0, 0.001, 0.001) },
        new ServicePoint[] { new(1, 0, 0.001) },
        new ServicePoint[] { new(1, 0.001, double.NaN) },
        new ServicePoint[] { new(1, double.PositiveInfinity, 1) },
        new ServicePoint[] { new(2, 0.001, 0.001), new(2, 0.002, 0.002) },
    };

    [Theory]
    [MemberData(nameof(BadCurves))]
    public void Constructor_BadPoints_ThrowsOneLineArgumentException(ServicePoint[] points)
    {
        var e = Assert.Throws<ArgumentException>(() => new CurveServiceTime(points));
        Assert.DoesNotContain('\n', e.Message);
    }
}
