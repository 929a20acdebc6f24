using Silica.Advisor.Claims;
using Silica.Advisor.Results;

namespace Silica.Advisor.Tests.Claims;

public sealed class ClaimEvaluatorTests
{
    private static Deployment Row(string id, double unit, double low, double high, double capacity = 100, string deviceClass = "gpu") => new()
    {
        InstanceId = id,
        Provider = "aws",
        DeviceId = "d",
        DeviceClass = deviceClass,
        Precision = "bf16",
        Basis = "predicted",
        BasisDetail = "test",
        Feasible = true,
        CostPerMillion = unit,
        CostPerMillionAtCapacity = unit,
        CostPerMillionAtCapacityLow = low,
        CostPerMillionAtCapacityHigh = high,
        CapacityQpsPerInstance = capacity,
        CapacityQpsPerInstanceLow = capacity * 0.8,
        CapacityQpsPerInstanceHigh = capacity * 1.2,
    };

    private static bool Prefix(Deployment d, string t) => d.InstanceId.StartsWith(t, StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void Evaluate_BandWhollyBelowThreshold_Yes()
    {
        var v = ClaimEvaluator.Evaluate(Claim.Parse("a halves cost vs b"), [Row("a.x", 1, 0.9, 1.1), Row("b.x", 4, 3.5, 4.5)], Prefix);
        Assert.Equal("yes", v.Verdict);
        Assert.Equal(0.25, v.Ratio, 9);
        // Log-normal bands combined with the same-class correlation.
        var (sa, sb) = (Math.Log(1.1 / 0.9) / 3.29, Math.Log(4.5 / 3.5) / 3.29);
        var sigma = Math.Sqrt((sa * sa) + (sb * sb) - (2 * ClaimEvaluator.SameClassCorrelation * sa * sb));
        Assert.Equal(0.25 * Math.Exp(-1.645 * sigma), v.RatioLow, 9);
        Assert.Equal(0.25 * Math.Exp(1.645 * sigma), v.RatioHigh, 9);
    }

    [Fact]
    public void Evaluate_DifferentDeviceClasses_WiderBandThanSameClass()
    {
        var same = ClaimEvaluator.Evaluate(Claim.Parse("a halves cost vs b"), [Row("a.x", 1, 0.5, 2), Row("b.x", 4, 2, 8)], Prefix);
        var mixed = ClaimEvaluator.Evaluate(Claim.Parse("a halves cost vs b"), [Row("a.x", 1, 0.5, 2, deviceClass: "tpu"), Row("b.x", 4, 2, 8)], Prefix);
        Assert.True(mixed.RatioHigh / mixed.RatioLow > same.RatioHigh / same.RatioLow);
        Assert.Equal(same.Ratio, mixed.Ratio, 12);
    }

    [Fact]
    public void Evaluate_BandWhollyAboveThreshold_No()
    {
        var v = ClaimEvaluator.Evaluate(Claim.Parse("a halves cost vs b"), [Row("a.x", 3, 2.9, 3.1), Row("b.x", 4, 3.9, 4.1)], Prefix);
        Assert.Equal("no", v.Verdict);
    }

    [Fact]
    public void Evaluate_BandStraddlesThreshold_Uncertain()
    {
        var v = ClaimEvaluator.Evaluate(Claim.Parse("a halves cost vs b"), [Row("a.x", 2, 1, 4), Row("b.x", 4, 2, 8)], Prefix);
        Assert.Equal("uncertain", v.Verdict);
    }

    [Fact]
    public void Evaluate_PicksCheapestOfEachSide()
    {
        var v = ClaimEvaluator.Evaluate(Claim.Parse("a halves cost vs b"),
            [Row("a.big", 10, 9, 11), Row("a.small", 1, 0.9, 1.1), Row("b.x", 4, 3.9, 4.1)], Prefix);
        Assert.Contains("a.small", v.Explanation, StringComparison.Ordinal);
        Assert.Equal("yes", v.Verdict);
    }

    [Fact]
    public void Evaluate_Throughput_UsesCapacityBands()
    {
        var v = ClaimEvaluator.Evaluate(Claim.Parse("a has 2x the throughput of b"), [Row("a.x", 1, 1, 1, capacity: 400), Row("b.x", 1, 1, 1, capacity: 100)], Prefix);
        Assert.Equal(4, v.Ratio, 9);
        Assert.Equal("yes", v.Verdict); // slow end 320 / fast end 120 = 2.67 >= 2
    }

    [Fact]
    public void Evaluate_MissingSide_Uncertain_SaysWhich()
    {
        var v = ClaimEvaluator.Evaluate(Claim.Parse("a halves cost vs zz"), [Row("a.x", 1, 1, 1)], Prefix);
        Assert.Equal("uncertain", v.Verdict);
        Assert.Contains("zz", v.Explanation, StringComparison.Ordinal);
    }
}
