using Silica.Advisor.Report;

namespace Silica.Advisor.Tests.Report;

public sealed class AxisTests
{
    [Fact]
    public void Ticks_Log10UnderThreeDecades_AddTwosAndFives()
    {
        var axis = Axis.Fit([0.12, 95], AxisScale.Log10, 0, 100, 0);

        Assert.Equal([0.2, 0.5, 1, 2, 5, 10, 20, 50], axis.Ticks());
    }

    [Fact]
    public void Ticks_Log10OverFourDecades_AreTheDecadesOnly()
    {
        var axis = Axis.Fit([0.05, 300], AxisScale.Log10, 0, 100, 0);

        Assert.Equal([0.1, 1.0, 10.0, 100.0], axis.Ticks());
    }

    [Fact]
    public void Ticks_Log10OverTwentyDecades_SkipDecades()
    {
        var axis = Axis.Fit([1e-10, 1e10], AxisScale.Log10, 0, 100, 0);

        var ticks = axis.Ticks();

        Assert.InRange(ticks.Count, 2, 10);
        Assert.Contains(1.0, ticks);
    }

    [Fact]
    public void Ticks_Log2OverBatches_ArePowersOfTwo()
    {
        var axis = Axis.Fit([1, 64], AxisScale.Log2, 0, 100, 0.04);

        Assert.Equal([1.0, 2, 4, 8, 16, 32, 64], axis.Ticks());
    }

    [Fact]
    public void Ticks_Linear_AreNiceSteps()
    {
        var axis = Axis.Linear(0, 54, 400, 0);

        Assert.Equal([0.0, 10, 20, 30, 40, 50], axis.Ticks());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(0.0)]
    [InlineData(-5.0)]
    public void Map_UnplottableOnLog_IsTheLowEndNotNaN(double value)
    {
        var axis = Axis.Fit([1, 100], AxisScale.Log10, 50, 450, 0);

        Assert.Equal(50, axis.Map(value));
    }

    [Fact]
    public void Map_Log10_SpacesDecadesEvenly()
    {
        var axis = Axis.Fit([1, 100], AxisScale.Log10, 0, 200, 0);

        Assert.Equal(100, axis.Map(10), 6);
        Assert.Equal(200, axis.Map(100), 6);
    }

    [Fact]
    public void Fit_NoPlottableValues_StillMapsFinite()
    {
        var axis = Axis.Fit([double.NaN, -1], AxisScale.Log10, 0, 100);

        Assert.True(double.IsFinite(axis.Map(3)));
        Assert.NotEmpty(axis.Ticks());
    }

    [Fact]
    public void Fit_OneValue_WidensTheDomain()
    {
        var axis = Axis.Fit([5, 5], AxisScale.Linear, 0, 100, 0);

        Assert.True(axis.Min < 5 && axis.Max > 5);
        Assert.Equal(50, axis.Map(5), 6);
    }
}
