using Silica.Prediction.Serving;

namespace Silica.Prediction.Tests.Serving;

public sealed class BatcherSimulatorTests
{
    /// <summary>No batching, no queue limits: the textbook single queue.</summary>
    private static readonly BatcherPolicy Unbatched = new()
    {
        MaxBatchSize = 1,
        MaxQueueSize = 1 << 20,
        QueueTimeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>Long runs for comparisons with closed forms, whose sampling error at high load is a few percent at 20k.</summary>
    private static readonly SimulationOptions Long = new() { Requests = 400_000, WarmupRequests = 10_000 };

    private static CurveServiceTime Deterministic(params (int Batch, double Ms)[] points) =>
        new([.. points.Select(p => new ServicePoint(p.Batch, p.Ms / 1000, p.Ms / 1000))]);

    [Theory]
    [InlineData(0.3)]
    [InlineData(0.6)]
    [InlineData(0.85)]
    public void Run_MD1_MeanLatencyMatchesPollaczekKhinchine(double rho)
    {
        const double D = 0.002;
        var r = BatcherSimulator.Run(Unbatched, Deterministic((1, 2)), rho / D, Long);

        var expected = D + (rho * D / (2 * (1 - rho)));
        Assert.InRange(r.MeanSeconds / expected, 0.95, 1.05);
        Assert.InRange(r.Utilization, rho * 0.97, rho * 1.03);
        Assert.Equal(1.0, r.MeanBatchRows);
        Assert.False(r.Saturated);
    }

    [Theory]
    [InlineData(0.5)]
    [InlineData(0.8)]
    public void Run_MM1_P99MatchesExponentialSojourn(double rho)
    {
        const double Mu = 1000;
        var r = BatcherSimulator.Run(Unbatched, new ExponentialServiceTime(Mu), rho * Mu, Long);

        // The M/M/1 sojourn time is exponential with rate μ − λ.
        var p99 = -Math.Log(0.01) / (Mu - (rho * Mu));
        Assert.InRange(r.P99Seconds / p99, 0.95, 1.05);
        Assert.InRange(r.P50Seconds / (Math.Log(2) / (Mu - (rho * Mu))), 0.95, 1.05);
    }

    [Fact]
    public void Run_MM2_MeanLatencyMatchesErlangC()
    {
        const double Mu = 1000;
        const double Lambda = 1500; // ρ = 0.75 over two servers
        var r = BatcherSimulator.Run(Unbatched with { Servers = 2 }, new ExponentialServiceTime(Mu), Lambda, Long);

        var a = Lambda / Mu;
        var rho = a / 2;
        var tail = a * a / 2 / (1 - rho);
        var erlangC = tail / (1 + a + tail);
        var expected = (erlangC / ((2 * Mu) - Lambda)) + (1 / Mu);
        Assert.InRange(r.MeanSeconds / expected, 0.95, 1.05);
        Assert.InRange(r.Utilization, 0.73, 0.77);
    }

    [Fact]
    public void Run_SparseArrivalsWithDelay_EachRequestWaitsTheDelayThenRunsAlone()
    {
        var policy = new BatcherPolicy { MaxBatchSize = 8, MaxQueueDelay = TimeSpan.FromMilliseconds(2) };
        // One request per second against a 2 ms delay and a 1 ms batch: almost never two in the queue at once.
        var r = BatcherSimulator.Run(policy, Deterministic((1, 1), (8, 4)), 1, new SimulationOptions { Requests = 2000, WarmupRequests = 10 });

        Assert.Equal(0.003, r.P50Seconds, 9);
        Assert.InRange(r.MeanBatchRows, 1.0, 1.02);
    }

    [Fact]
    public void Run_HigherLoadWithDelay_FormsLargerBatches()
    {
        var policy = new BatcherPolicy { MaxBatchSize = 8, MaxQueueDelay = TimeSpan.FromMilliseconds(2) };
        var curve = Deterministic((1, 1), (8, 3));

        var light = BatcherSimulator.Run(policy, curve, 100);
        var heavy = BatcherSimulator.Run(policy, curve, 2000);

        Assert.InRange(light.MeanBatchRows, 1.0, 1.5);
        Assert.True(heavy.MeanBatchRows > light.MeanBatchRows + 2, $"light {light.MeanBatchRows:F2}, heavy {heavy.MeanBatchRows:F2}");
        Assert.False(heavy.Saturated);
    }

    [Fact]
    public void Run_FullBatch_DispatchesWithoutWaitingForTheDelay()
    {
        // A 1 s delay that only a full batch can cut short: at 8000/s eight requests arrive in about 1 ms.
        var policy = new BatcherPolicy { MaxBatchSize = 8, MaxQueueDelay = TimeSpan.FromSeconds(1) };
        var r = BatcherSimulator.Run(policy, Deterministic((1, 0.1), (8, 0.2)), 8000);

        Assert.Equal(8.0, r.MeanBatchRows);
        Assert.True(r.P99Seconds < 0.01, $"p99 {r.P99Seconds * 1000:F2} ms");
    }

    [Fact]
    public void Run_ArrivalsAboveCapacity_Saturates()
    {
        // Capacity: 8 rows per 4 ms = 2000/s.
        var policy = new BatcherPolicy { MaxBatchSize = 8, MaxQueueDelay = TimeSpan.FromMilliseconds(1), MaxQueueSize = 1 << 20, QueueTimeout = Timeout.InfiniteTimeSpan };
        var curve = Deterministic((1, 1), (8, 4));

        var below = BatcherSimulator.Run(policy, curve, 1500);
        var above = BatcherSimulator.Run(policy, curve, 2400);

        Assert.False(below.Saturated);
        Assert.True(above.Saturated);
        Assert.True(above.Utilization > 0.98);
        Assert.InRange(above.AchievedQps, 1900, 2100);
        Assert.True(above.P99Seconds > 10 * below.P99Seconds);
    }

    [Fact]
    public void Run_QueueTimeout_RejectsRequestsThatWaitTooLong()
    {
        var policy = new BatcherPolicy { MaxBatchSize = 1, QueueTimeout = TimeSpan.FromMilliseconds(20) };
        var curve = Deterministic((1, 2));

        var overloaded = BatcherSimulator.Run(policy, curve, 1000); // twice the 500/s capacity
        var light = BatcherSimulator.Run(policy, curve, 200);

        Assert.InRange(overloaded.RejectedFraction, 0.4, 0.6);
        // No served request waited past the timeout: latency ≤ timeout + service.
        Assert.True(overloaded.P99Seconds <= 0.022 + 1e-12, $"p99 {overloaded.P99Seconds}");
        Assert.Equal(0, light.RejectedFraction);
    }

    [Fact]
    public void Run_QueueFull_RejectsOnArrival()
    {
        var policy = new BatcherPolicy { MaxBatchSize = 1, MaxQueueSize = 4, QueueTimeout = Timeout.InfiniteTimeSpan };
        var r = BatcherSimulator.Run(policy, Deterministic((1, 2)), 1000);

        Assert.InRange(r.RejectedFraction, 0.4, 0.6);
        // At most four ahead in the queue plus the one running.
        Assert.True(r.P99Seconds <= 0.010 + 1e-12, $"p99 {r.P99Seconds}");
    }

    [Fact]
    public void Run_PreferredSizes_RunsPaddedBatchesAtThePaddedServiceTime()
    {
        var curve = Deterministic((1, 1), (8, 5));
        var exact = new BatcherPolicy { MaxBatchSize = 8 };
        var padded = exact with { PreferredBatchSizes = [8] };
        var sparse = new SimulationOptions { Requests = 2000, WarmupRequests = 10 };

        var a = BatcherSimulator.Run(exact, curve, 1, sparse);
        var b = BatcherSimulator.Run(padded, curve, 1, sparse);

        Assert.Equal(0.001, a.P50Seconds, 9);
        Assert.Equal(0.005, b.P50Seconds, 9);
        Assert.InRange(b.MeanBatchRows, 1.0, 1.02); // padding is not counted as rows taken
    }

    [Fact]
    public void Run_PreferredSizes_FullAtTheLargestPreferredSize()
    {
        // Preferred 4 makes a batch full at 4 rows, so it never waits the 1 s delay for 8.
        var policy = new BatcherPolicy { MaxBatchSize = 8, MaxQueueDelay = TimeSpan.FromSeconds(1), PreferredBatchSizes = [2, 4] };
        var r = BatcherSimulator.Run(policy, Deterministic((1, 0.1), (8, 0.2)), 8000);

        Assert.InRange(r.MeanBatchRows, 4.0, 4.5);
        Assert.True(r.P99Seconds < 0.01, $"p99 {r.P99Seconds * 1000:F2} ms");
    }

    [Fact]
    public void Run_RowsPerRequest_CountsRequestsThatFit()
    {
        // Three rows per request: two fit in a batch of 8, so a batch holds 6 rows.
        var policy = new BatcherPolicy { MaxBatchSize = 8, RowsPerRequest = 3, MaxQueueDelay = TimeSpan.FromSeconds(1) };
        var r = BatcherSimulator.Run(policy, Deterministic((1, 0.1), (8, 0.2)), 8000);

        Assert.Equal(6.0, r.MeanBatchRows);
    }

    [Fact]
    public void Run_SameSeed_SameResult_OtherSeed_Differs()
    {
        var policy = new BatcherPolicy { MaxBatchSize = 8, MaxQueueDelay = TimeSpan.FromMilliseconds(2), Servers = 2 };
        var curve = new CurveServiceTime([new(1, 0.001, 0.002), new(8, 0.004, 0.006)]);

        var a = BatcherSimulator.Run(policy, curve, 1500, new SimulationOptions { Seed = 7 });
        var b = BatcherSimulator.Run(policy, curve, 1500, new SimulationOptions { Seed = 7 });
        var c = BatcherSimulator.Run(policy, curve, 1500, new SimulationOptions { Seed = 8 });

        Assert.Equal(a, b);
        Assert.NotEqual(a.P99Seconds, c.P99Seconds);
    }

    [Fact]
    public void Run_NonPositiveRate_Throws()
    {
        Assert.Throws<ArgumentException>(() => BatcherSimulator.Run(Unbatched, Deterministic((1, 1)), 0));
        Assert.Throws<ArgumentException>(() => BatcherSimulator.Run(Unbatched, Deterministic((1, 1)), double.NaN));
    }
}
