using System.Diagnostics;
using Silica.Benchmarking.SystemsUnderTest;

namespace Silica.Benchmarking.Tests.SystemsUnderTest;

public class DelaySystemUnderTestTests
{
    [Theory]
    [InlineData(1, 10, 5, 50)]  // one server: ten 5 ms queries finish one after another
    [InlineData(0, 10, 5, 5)]   // unlimited servers: all finish after one service time
    [InlineData(2, 10, 5, 25)]
    public async Task IssueAsync_BurstOfQueries_FinishesAfterQueueingDelay(int servers, int queries, int serviceMs, int expectedLastMs)
    {
        using var sut = new DelaySystemUnderTest(TimeSpan.FromMilliseconds(serviceMs), servers: servers);
        var start = Stopwatch.GetTimestamp();
        var tasks = new ValueTask[queries];
        for (var i = 0; i < queries; i++)
        {
            tasks[i] = sut.IssueAsync(QueryOf(i, 1), CancellationToken.None);
        }

        foreach (var task in tasks)
        {
            await task;
        }

        var elapsedMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        Assert.True(elapsedMs >= expectedLastMs * 0.99, $"{elapsedMs:F1} ms");
        Assert.True(elapsedMs < expectedLastMs + 1000, $"{elapsedMs:F1} ms"); // generous: a loaded machine
    }

    [Fact]
    public async Task IssueAsync_PerSampleCost_ScalesWithBatch()
    {
        using var sut = new DelaySystemUnderTest(TimeSpan.Zero, perSample: TimeSpan.FromMilliseconds(1));
        var start = Stopwatch.GetTimestamp();

        await sut.IssueAsync(QueryOf(0, 20), CancellationToken.None);

        Assert.True(Stopwatch.GetElapsedTime(start).TotalMilliseconds >= 19.8);
    }

    internal static Query QueryOf(long id, int samples)
    {
        var query = new Query(samples);
        query.Set(id, [.. Enumerable.Range(0, samples).Select(i => new QuerySample(i, i))]);
        return query;
    }
}
