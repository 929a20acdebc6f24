using Silica.Advisor.Report;
using Silica.Advisor.Results;

namespace Silica.Advisor.Tests.Report;

public sealed class TargetSelectionTests
{
    [Fact]
    public void Curves_MeasuredFirstThenByDeploymentRankThenTheRest()
    {
        var sample = SampleResults.Create();
        var results = sample with
        {
            Curves =
            [
                SampleResults.Curve("unranked", "fp32", "predicted", (1, 1.0)),
                .. sample.Curves,
            ],
        };

        var chosen = TargetSelection.Curves(results).Select(c => c.InstanceId).ToList();

        // local is measured; inf2.xlarge is rank 1, g5.xlarge rank 2; "unranked" matches no deployment.
        Assert.Equal(["local", "inf2.xlarge", "g5.xlarge", "unranked"], chosen);
    }

    [Fact]
    public void Curves_MoreThanTheLimit_KeepsTheLimit()
    {
        var sample = SampleResults.Create();
        var results = sample with
        {
            Curves = [.. Enumerable.Range(0, 20).Select(i => SampleResults.Curve("t" + i, "fp16", "predicted", (1, 1.0)))],
        };

        Assert.Equal(5, TargetSelection.Curves(results, 5).Count);
    }

    [Fact]
    public void Breakdowns_FollowDeploymentRank()
    {
        var chosen = TargetSelection.Breakdowns(SampleResults.Create());

        Assert.Equal(["inf2.xlarge", "g5.xlarge"], chosen.Select(b => b.InstanceId));
    }

    [Fact]
    public void Curves_Empty_IsEmpty()
    {
        var results = SampleResults.Create() with { Curves = [], Deployments = [] };

        Assert.Empty(TargetSelection.Curves(results));
    }
}
