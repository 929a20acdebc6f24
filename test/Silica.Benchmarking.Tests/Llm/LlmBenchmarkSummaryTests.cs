using System.Diagnostics;
using Silica.Benchmarking.Histograms;
using Silica.Benchmarking.Llm;

namespace Silica.Benchmarking.Tests.Llm;

public sealed class LlmBenchmarkSummaryTests
{
    private static LlmOutcome Ok(int output, double ttftMs, double e2eMs) =>
        new(null, 10, output, TimeSpan.FromMilliseconds(ttftMs), TimeSpan.FromMilliseconds(e2eMs));

    [Fact]
    public void Summarize_Outcomes_GivesThroughputTpotAndGoodputUnderBothSlos()
    {
        // TPOTs: (1000-100)/9 = 100 ms, (300-200)/10 = 10 ms, (120-50)/1 = 70 ms; TTFTs 100, 200, 50 ms.
        LlmOutcome[] outcomes = [Ok(10, 100, 1000), Ok(11, 200, 300), Ok(2, 50, 120), LlmOutcome.Failed("HTTP 429: queue full", TimeSpan.FromMilliseconds(5))];
        var options = new LlmBenchOptions { SloTtft = TimeSpan.FromMilliseconds(150), SloTpot = TimeSpan.FromMilliseconds(80) };
        long[] offsets = [0, Stopwatch.Frequency / 2, Stopwatch.Frequency, 3 * Stopwatch.Frequency / 2];

        var r = LlmBenchmark.Summarize(outcomes, new LatencyHistogram(), TimeSpan.FromSeconds(2), offsets, options);

        Assert.Equal((3, 1), (r.Completed, r.Failed));
        Assert.Equal(["HTTP 429: queue full"], r.Errors);
        Assert.Equal(23, r.OutputTokens);
        Assert.Equal(11.5, r.OutputTokensPerSecond, 6);
        Assert.Equal(2.0, r.AchievedRequestRate, 6);
        // Only the third meets TTFT ≤ 150 ms and TPOT ≤ 80 ms (the first has TPOT 100 ms, the second TTFT 200 ms).
        Assert.Equal(0.5, r.GoodputRequestsPerSecond!.Value, 6);
        Assert.Equal(1.0, r.GoodputOutputTokensPerSecond!.Value, 6);
        Assert.Equal(0.25, r.SloAttainment!.Value, 6);
        Assert.Equal(3, r.TimePerOutputToken.Count);
        Assert.InRange(r.TimePerOutputToken.MaxUs, 99_000, 101_000);
        Assert.InRange(r.TimeToFirstToken.P50Us, 99_000, 101_000);
    }

    [Fact]
    public void Summarize_NoSlos_LeavesGoodputOut()
    {
        var r = LlmBenchmark.Summarize([Ok(4, 10, 40)], new LatencyHistogram(), TimeSpan.FromSeconds(1), [0], new LlmBenchOptions());

        Assert.Null(r.GoodputRequestsPerSecond);
        Assert.Null(r.SloAttainment);
    }
}
