using Silica.Advisor.Claims;

namespace Silica.Advisor.Tests.Claims;

public sealed class ClaimTests
{
    [Theory]
    [InlineData("inf2 halves cost vs g5", "inf2", "g5", ClaimMetric.Cost, 0.5)]
    [InlineData("trn1 is 40% cheaper than g6", "trn1", "g6", ClaimMetric.Cost, 0.6)]
    [InlineData("trn1 cuts cost by 25% vs g6", "trn1", "g6", ClaimMetric.Cost, 0.75)]
    [InlineData("ct6e is 4x cheaper than p5", "ct6e", "p5", ClaimMetric.Cost, 0.25)]
    [InlineData("g6e has 2x the throughput of g5", "g6e", "g5", ClaimMetric.Throughput, 2)]
    [InlineData("p5 is 3x faster than p4d", "p5", "p4d", ClaimMetric.Throughput, 3)]
    [InlineData("inf2 costs less than g5", "inf2", "g5", ClaimMetric.Cost, 1)]
    [InlineData("  INF2 Halves Cost compared to G5.xlarge ", "INF2", "G5.xlarge", ClaimMetric.Cost, 0.5)]
    public void Parse_KnownForms(string text, string subject, string reference, ClaimMetric metric, double threshold)
    {
        var c = Claim.Parse(text);
        Assert.Equal(subject, c.Subject);
        Assert.Equal(reference, c.Reference);
        Assert.Equal(metric, c.Metric);
        Assert.Equal(threshold, c.Threshold, 9);
    }

    [Theory]
    [InlineData("inf2 is great")]
    [InlineData("inf2 is 150% cheaper than g5")]
    [InlineData("inf2 is 0x cheaper than g5")]
    [InlineData("")]
    public void Parse_Unreadable_ThrowsWithExamples(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => Claim.Parse(text));
        Assert.DoesNotContain('\n', e.Message);
    }
}
