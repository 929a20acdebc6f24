using Silica.Benchmarking.Scenarios;
using Silica.Benchmarking.Stopping;
using Silica.Benchmarking.SystemsUnderTest;

namespace Silica.Benchmarking.Tests.Scenarios;

public class LoadGeneratorTests
{
    [Theory]
    [InlineData(Scenario.SingleStream, 1, 1)]
    [InlineData(Scenario.MultiStream, 8, 1)]
    [InlineData(Scenario.Concurrency, 2, 4)]
    [InlineData(Scenario.Offline, 16, 6)]
    public async Task RunAsync_ClosedLoopScenario_KeepsExpectedQueriesInFlight(Scenario scenario, int samplesPerQuery, int expectedInFlight)
    {
        var probe = new InFlightProbe();
        using var sut = new SynchronousSystemUnderTest(probe.Handle, workerCount: 16);
        var settings = Quick(scenario) with { SamplesPerQuery = samplesPerQuery, Concurrency = 4, OfflineQueueDepth = 6 };

        var result = await LoadGenerator.RunAsync(sut, settings);

        Assert.Equal(expectedInFlight, probe.MaxInFlight);
        Assert.Equal(samplesPerQuery, probe.MaxSamples);
        Assert.Equal(result.Counts.Completed * samplesPerQuery, result.Counts.CompletedSamples);
        Assert.Equal(result.Throughput.QueriesPerSecond * samplesPerQuery, result.Throughput.SamplesPerSecond, 1e-6);
        // Each query sleeps 2 ms in the handler, so no latency can be shorter.
        Assert.True(result.Latency.MinUs >= 1_900, $"min {result.Latency.MinUs} µs");
    }

    [Fact]
    public async Task RunAsync_ServerOnDelaySut_BoundMetAndRateNearTarget()
    {
        using var sut = new DelaySystemUnderTest(TimeSpan.FromMilliseconds(1));
        var settings = Quick(Scenario.Server) with { TargetQps = 400, TargetLatency = TimeSpan.FromMilliseconds(100) };

        var result = await LoadGenerator.RunAsync(sut, settings);

        Assert.True(result.LatencyBoundMet);
        Assert.Equal(100_000, result.TargetLatencyUs);
        Assert.True(result.Latency.P50Us >= 990, $"p50 {result.Latency.P50Us} µs"); // the SUT's 1 ms
        Assert.InRange(result.Throughput.IssuedQueriesPerSecond, 300, 500);       // Poisson noise over ~400 arrivals
        Assert.Equal(result.Counts.Issued, result.Counts.Completed);
    }

    [Fact]
    public async Task RunAsync_ServerBoundBelowServiceTime_BoundNotMet()
    {
        using var sut = new DelaySystemUnderTest(TimeSpan.FromMilliseconds(2));
        var settings = Quick(Scenario.Server) with { TargetQps = 200, TargetLatency = TimeSpan.FromMilliseconds(1) };

        var result = await LoadGenerator.RunAsync(sut, settings);

        Assert.False(result.LatencyBoundMet);
    }

    [Fact]
    public async Task RunAsync_WarmupQueries_ExcludedFromCounts()
    {
        var sut = new InstantSystemUnderTest();

        var result = await LoadGenerator.RunAsync(sut, Quick(Scenario.SingleStream) with { WarmupQueries = 50 });

        Assert.Equal(sut.IssuedQueries - 50, result.Counts.Issued);
        Assert.Equal(result.Counts.Issued, result.Counts.Completed);
    }

    [Fact]
    public async Task RunAsync_FailingQueries_CountedAsFailed()
    {
        using var sut = new SynchronousSystemUnderTest((query, _) =>
        {
            if (query.Id % 2 == 1)
            {
                throw new InvalidOperationException("odd query");
            }
        });

        var result = await LoadGenerator.RunAsync(sut, Quick(Scenario.SingleStream));

        Assert.True(result.Counts.Failed > 0);
        Assert.InRange(result.Counts.Completed - result.Counts.Failed, -1, 1);
        Assert.Equal(result.Counts.Issued, result.Counts.Completed + result.Counts.Failed);
        Assert.Equal(result.Counts.Completed, result.Latency.Count);
    }

    [Fact]
    public async Task RunAsync_InstantSutClosedLoop_IssueThreadAllocatesNothingPerQuery()
    {
        var result = await LoadGenerator.RunAsync(new InstantSystemUnderTest(), Quick(Scenario.SingleStream));

        Assert.True(result.Counts.Issued > 10_000, $"{result.Counts.Issued} queries");
        Assert.True(result.Harness!.AllocatedBytesPerQuery < 1, $"{result.Harness.AllocatedBytesPerQuery} B/query");
    }

    [Theory]
    [InlineData(0.5, true)]
    [InlineData(0.0, false)]
    public async Task RunAsync_StabilityRule_StopsWhenStableOrAtMax(double tolerance, bool expectStable)
    {
        using var sut = new DelaySystemUnderTest(TimeSpan.FromMilliseconds(1));
        var settings = Quick(Scenario.SingleStream) with
        {
            RequireStability = true,
            StabilityTolerance = tolerance,
            MinDuration = TimeSpan.FromMilliseconds(300),
            MaxDuration = TimeSpan.FromSeconds(2),
            WindowDuration = TimeSpan.FromMilliseconds(100),
        };

        var result = await LoadGenerator.RunAsync(sut, settings);

        Assert.Equal(expectStable, result.StabilityReached);
        Assert.Equal(expectStable ? StopReason.Stable : StopReason.MaxDuration, result.StopReason);
        Assert.True(result.Windows.Count >= 3);
        Assert.True(result.Duration < TimeSpan.FromSeconds(2.5), $"ran {result.Duration}");
    }

    [Fact]
    public async Task RunAsync_Cancelled_TaskCancelled()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var settings = Quick(Scenario.SingleStream) with { MinDuration = TimeSpan.FromSeconds(30), MaxDuration = TimeSpan.FromSeconds(30) };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => LoadGenerator.RunAsync(new InstantSystemUnderTest(), settings, cts.Token));
    }

    [Theory]
    [InlineData(nameof(RunSettings.SamplesPerQuery))]
    [InlineData(nameof(RunSettings.MaxDuration))]
    [InlineData(nameof(RunSettings.TargetQps))]
    public void Run_InvalidSettings_ThrowsNamingTheField(string field)
    {
        var settings = field switch
        {
            nameof(RunSettings.SamplesPerQuery) => new RunSettings { SamplesPerQuery = 0 },
            nameof(RunSettings.MaxDuration) => new RunSettings { MinDuration = TimeSpan.FromSeconds(5), MaxDuration = TimeSpan.FromSeconds(1) },
            _ => new RunSettings { TargetQps = double.NaN },
        };

        var error = Assert.Throws<ArgumentException>(() => LoadGenerator.Run(new InstantSystemUnderTest(), settings));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    private static RunSettings Quick(Scenario scenario) => new()
    {
        Scenario = scenario,
        MinDuration = TimeSpan.FromMilliseconds(400),
        MaxDuration = TimeSpan.FromMilliseconds(400),
        WindowDuration = TimeSpan.FromMilliseconds(100),
        RequireStability = false,
    };

    /// <summary>A handler that takes 2 ms and records how many queries were inside it at once.</summary>
    private sealed class InFlightProbe
    {
        private int _inFlight;
        private int _maxInFlight;
        private int _maxSamples;

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        public int MaxSamples => Volatile.Read(ref _maxSamples);

        public void Handle(Query query, int workerIndex)
        {
            var now = Interlocked.Increment(ref _inFlight);
            InterlockedMax(ref _maxInFlight, now);
            InterlockedMax(ref _maxSamples, query.SampleCount);
            Thread.Sleep(2);
            Interlocked.Decrement(ref _inFlight);
        }

        private static void InterlockedMax(ref int target, int value)
        {
            var current = Volatile.Read(ref target);
            while (value > current)
            {
                var seen = Interlocked.CompareExchange(ref target, value, current);
                if (seen == current)
                {
                    return;
                }

                current = seen;
            }
        }
    }
}
