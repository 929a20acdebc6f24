using Silica.Advisor.Planning;
using Silica.Prediction;

namespace Silica.Advisor.Tests.Planning;

public sealed class DeploymentPlannerTests
{
    /// <summary>Run time 2 ms + 1 ms per sample, ±30% band, little jitter.</summary>
    private static ServiceCurve Curve(double fixedMs = 2, double perSampleMs = 1) => new(
        [.. new[] { 1, 2, 4, 8, 16 }.Select(b =>
        {
            var s = (fixedMs + (perSampleMs * b)) / 1e3;
            return new ServiceCurvePoint(b, s, s / 1.3, s * 1.3, 1.05, Measured: false);
        })],
        Measured: false, "test", new Dictionary<int, LatencyPrediction>());

    [Fact]
    public void Plan_ServesRequiredLoad_WithinSlo()
    {
        var plan = DeploymentPlanner.Plan(Curve(), replicasPerInstance: 2, requiredQps: 3000, TimeSpan.FromMilliseconds(50));
        Assert.True(plan.Feasible, plan.Reason);
        Assert.True(plan.P99Seconds.Central <= 0.050);
        // Batching beats batch 1: 1 sample per 3 ms is ~333/s, batches of 16 reach ~890/s.
        Assert.True(plan.Policy!.MaxBatchSize > 1);
        Assert.True(plan.ReplicaCapacity.Central > 400);
        Assert.True(plan.Instances.Central * 2 * plan.ReplicaCapacity.Central >= 3000);
        Assert.True(plan.Instances.Fast <= plan.Instances.Central && plan.Instances.Central <= plan.Instances.Slow);
        Assert.True(plan.ReplicaCapacity.Slow <= plan.ReplicaCapacity.Central && plan.ReplicaCapacity.Central <= plan.ReplicaCapacity.Fast);
    }

    [Fact]
    public void Plan_SloBelowOneRun_Infeasible_SaysWhy()
    {
        var plan = DeploymentPlanner.Plan(Curve(fixedMs: 20), 1, 10, TimeSpan.FromMilliseconds(5));
        Assert.False(plan.Feasible);
        Assert.Contains("over the 5 ms p99 SLO", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_MoreLoad_MoreInstances()
    {
        var slo = TimeSpan.FromMilliseconds(50);
        var low = DeploymentPlanner.Plan(Curve(), 1, 100, slo);
        var high = DeploymentPlanner.Plan(Curve(), 1, 10_000, slo);
        Assert.Equal(1, low.Instances.Central);
        Assert.True(high.Instances.Central > 5);
    }
}
