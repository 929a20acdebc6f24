namespace Silica.Hardware.Tests;

public sealed class CostMathTests
{
    [Theory]
    // inf2.xlarge at 1000 inf/s: 0.7582 / 3.6e6 x 1e6 = 0.210611...
    [InlineData(0.7582, 1000, 0.2106111)]
    // 3.60 $/h at 1 inf/s: one million seconds of an hour's price = 1000 $.
    [InlineData(3.6, 1, 1000)]
    // p5.48xlarge 98.32 $/h at 20000/s: 98.32 / 72e6 x 1e6 = 1.365555...
    [InlineData(98.32, 20000, 1.3655556)]
    public void DollarsPerMillionInferences_HandComputed_Match(double price, double perSecond, double expected)
    {
        Assert.Equal(expected, CostMath.DollarsPerMillionInferences(price, perSecond), 6);
    }

    [Fact]
    public void DollarsPerMillionTokens_GpuAt2500TokensPerSecond_Matches()
    {
        // g6.xlarge 0.8048 $/h, 2500 tok/s: 0.8048 / 9e6 x 1e6 = 0.089422...
        Assert.Equal(0.0894222, CostMath.DollarsPerMillionTokens(0.8048, 2500), 6);
    }

    [Theory]
    [InlineData(300, 100, 3)]
    [InlineData(301, 100, 4)]
    [InlineData(0.3, 0.1, 3)]
    [InlineData(0, 50, 1)]
    [InlineData(1000, 333.3, 4)]
    public void ReplicasFor_TargetAndCapacity_CeilingAtLeastOne(double target, double perReplica, int expected)
    {
        Assert.Equal(expected, CostMath.ReplicasFor(target, perReplica));
    }

    [Fact]
    public void HourlyCost_FourReplicas_Multiplies()
    {
        Assert.Equal(3.0328, CostMath.HourlyCost(0.7582, 4), 10);
    }

    [Fact]
    public void DollarsPerMillionInferences_ZeroThroughput_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CostMath.DollarsPerMillionInferences(1, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => CostMath.ReplicasFor(10, 0));
    }
}
