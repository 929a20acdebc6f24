using Silica.Benchmarking.Results;
using Silica.Benchmarking.Scenarios;
using Silica.Benchmarking.Stopping;

namespace Silica.Benchmarking.Tests.Stopping;

public class StoppingRuleTests
{
    private static readonly RunSettings Settings = new()
    {
        Scenario = Scenario.SingleStream,
        MinDuration = TimeSpan.FromSeconds(10),
        MinQueryCount = 1000,
        MaxDuration = TimeSpan.FromSeconds(60),
        StabilityWindows = 3,
        StabilityTolerance = 0.10,
    };

    [Theory]
    [InlineData(5, 5000, true, StopReason.None)]             // before the minimum duration
    [InlineData(10, 999, true, StopReason.None)]             // minimum count not reached
    [InlineData(10, 1000, true, StopReason.Stable)]          // minimums reached, windows stable
    [InlineData(10, 1000, false, StopReason.None)]           // minimums reached, windows unstable
    [InlineData(59, 1000, false, StopReason.None)]
    [InlineData(60, 1000, false, StopReason.MaxDuration)]    // the maximum wins over instability
    [InlineData(60, 0, false, StopReason.MaxDuration)]       // ... and over the minimum count
    public void Evaluate_FakeClock_StopsPerRules(int elapsedSeconds, long completed, bool stableWindows, StopReason expected)
    {
        var clock = new FakeTimeProvider();
        var rule = new StoppingRule(Settings, clock);
        rule.Start();
        clock.Advance(TimeSpan.FromSeconds(elapsedSeconds));
        var windows = stableWindows ? Windows((1000, 500), (1020, 505), (990, 498)) : Windows((1000, 500), (700, 500), (1000, 500));

        Assert.Equal(expected, rule.Evaluate(completed, windows));
        Assert.Equal(TimeSpan.FromSeconds(elapsedSeconds), rule.Elapsed);
    }

    [Fact]
    public void Evaluate_StabilityNotRequired_StopsAtMinimums()
    {
        var clock = new FakeTimeProvider();
        var rule = new StoppingRule(Settings with { RequireStability = false }, clock);
        rule.Start();
        clock.Advance(TimeSpan.FromSeconds(10));

        Assert.Equal(StopReason.MinimumsReached, rule.Evaluate(1000, []));
    }

    [Theory]
    [InlineData(Scenario.SingleStream, 1000, 1000, 1000, 500, 600, 500, false)] // p50 moves 20%: latency scenario unstable
    [InlineData(Scenario.Offline, 1000, 1000, 1000, 500, 600, 500, true)]       // Offline checks throughput only
    [InlineData(Scenario.Server, 1000, 1050, 1090, 500, 510, 520, true)]        // 9% spread is within 10%
    [InlineData(Scenario.Server, 1000, 1050, 1110, 500, 510, 520, false)]       // 10.5% spread is not
    [InlineData(Scenario.Offline, 0, 0, 0, 0, 0, 0, false)]                     // idle windows are never stable
    public void IsStable_LastThreeWindows_ComparesThroughputAndLatency(
        Scenario scenario, double q1, double q2, double q3, double l1, double l2, double l3, bool expected)
    {
        var rule = new StoppingRule(Settings with { Scenario = scenario });
        // An old, wildly different window must not matter: only the last three count.
        var windows = Windows((1, 1), (q1, l1), (q2, l2), (q3, l3));

        Assert.Equal(expected, rule.IsStable(windows));
    }

    [Fact]
    public void IsStable_FewerWindowsThanRequired_False()
    {
        var rule = new StoppingRule(Settings);

        Assert.False(rule.IsStable(Windows((1000, 500), (1000, 500))));
    }

    private static WindowResult[] Windows(params (double Qps, double P50Us)[] figures) =>
        [.. figures.Select((f, i) => new WindowResult { StartSeconds = i, DurationSeconds = 1, CompletedQueries = (long)f.Qps, QueriesPerSecond = f.Qps, P50Us = f.P50Us })];
}
