using Silica.Benchmarking.Inference;
using Silica.Benchmarking.Results;
using Silica.Benchmarking.Scenarios;

namespace Silica.Benchmarking.Tests.Inference;

public sealed class CapacitySearchTests
{
    [Theory]
    [InlineData(1000, 10)]
    [InlineData(1000, 5000)]
    [InlineData(37, 1)]
    public async Task FindAsync_SystemWithKnownCapacity_ConvergesBelowIt(double capacity, double start)
    {
        // A model system: meets the bound at any rate up to its capacity, misses above it.
        var search = await CapacitySearch.FindAsync(qps => Task.FromResult(Fake(qps, qps <= capacity)), start, refinements: 8);

        Assert.NotNull(search.Best);
        Assert.InRange(search.Best!.Settings.TargetQps, capacity * 0.9, capacity);
        Assert.True(search.Probes.Count < 30);
    }

    [Fact]
    public async Task FindAsync_NothingPasses_ReturnsNoBest()
    {
        var search = await CapacitySearch.FindAsync(qps => Task.FromResult(Fake(qps, false)), 100);
        Assert.Null(search.Best);
        Assert.NotEmpty(search.Probes);
    }

    [Fact]
    public void Passes_RateNotSustained_Fails()
    {
        Assert.False(CapacitySearch.Passes(Fake(100, true, achieved: 90)));
        Assert.False(CapacitySearch.Passes(Fake(100, false, achieved: 100)));
        Assert.True(CapacitySearch.Passes(Fake(100, true, achieved: 99)));
    }

    private static BenchmarkResult Fake(double qps, bool met, double? achieved = null) => new()
    {
        Scenario = Scenario.Server,
        Settings = new RunSettings { Scenario = Scenario.Server, TargetQps = qps },
        Counts = new QueryCounts { Issued = 100, Completed = 100 },
        Throughput = new Throughput { QueriesPerSecond = achieved ?? qps, SamplesPerSecond = achieved ?? qps },
        Latency = new LatencySummary(),
        LatencyBoundMet = met,
    };
}
