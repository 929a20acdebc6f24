using Silica.Prediction.Serving;

namespace Silica.Prediction.Tests.Serving;

public sealed class ArrivalConditioningTests
{
    [Fact]
    public void ConditionOnCounts_ExactCountBeforeEveryWindowBoundary()
    {
        var random = new Random(3);
        var arrivals = new double[5000];
        var t = 0.0;
        for (var i = 0; i < arrivals.Length; i++)
        {
            t += -Math.Log(1.0 - random.NextDouble()) / 110.0;
            arrivals[i] = t;
        }
        BatcherSimulation.ConditionOnCounts(arrivals, 110.0, 1.0);
        for (var k = 1; k <= 40; k++)
        {
            Assert.Equal(110 * k, arrivals.Count(a => a <= k + 1e-9));
        }
        Assert.True(arrivals.Zip(arrivals.Skip(1)).All(p => p.First <= p.Second), "arrivals stay in order");
    }

    [Fact]
    public void Run_BenchArrivals_ShorterTailThanPoisson_AtHighLoad_SameMedianLoad()
    {
        // M/D/1 at 85%: conditioning on per-second counts removes the slow swings that build the longest queues.
        var service = new CurveServiceTime([new ServicePoint(1, 0.0075, 0.0075)]);
        var policy = new BatcherPolicy { MaxBatchSize = 1, MaxQueueDelay = TimeSpan.Zero };
        var poisson = BatcherSimulator.Run(policy, service, 113, new SimulationOptions { Requests = 100_000 });
        var bench = BatcherSimulator.Run(policy, service, 113, new SimulationOptions { Requests = 100_000, CountWindow = TimeSpan.FromSeconds(1) });
        Assert.True(bench.P99Seconds < poisson.P99Seconds * 0.95, $"bench {bench.P99Seconds}, poisson {poisson.P99Seconds}");
        Assert.Equal(poisson.AchievedQps, bench.AchievedQps, 0);
    }

    [Fact]
    public void Options_NonPositiveWindow_Rejected() =>
        Assert.Throws<ArgumentException>(() => new SimulationOptions { CountWindow = TimeSpan.Zero }.Validate());
}
