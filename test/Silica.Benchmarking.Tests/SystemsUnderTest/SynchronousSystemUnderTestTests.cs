using Silica.Benchmarking.SystemsUnderTest;

namespace Silica.Benchmarking.Tests.SystemsUnderTest;

public class SynchronousSystemUnderTestTests
{
    [Fact]
    public async Task IssueAsync_BatchRunner_ReceivesSampleCountOnWorkerThread()
    {
        var seen = new List<(int Count, bool PoolThread)>();
        using var sut = new SynchronousSystemUnderTest(count =>
        {
            lock (seen)
            {
                seen.Add((count, Thread.CurrentThread.IsThreadPoolThread));
            }
        });

        await sut.IssueAsync(DelaySystemUnderTestTests.QueryOf(1, 3), CancellationToken.None);
        await sut.IssueAsync(DelaySystemUnderTestTests.QueryOf(2, 5), CancellationToken.None);

        Assert.Equal([(3, false), (5, false)], seen);
    }

    [Fact]
    public async Task IssueAsync_HandlerThrows_TaskFaultsAndWorkerSurvives()
    {
        using var sut = new SynchronousSystemUnderTest((query, _) =>
        {
            if (query.Id == 1)
            {
                throw new InvalidOperationException("boom");
            }
        });

        await Assert.ThrowsAsync<InvalidOperationException>(async () => await sut.IssueAsync(DelaySystemUnderTestTests.QueryOf(1, 1), CancellationToken.None));
        await sut.IssueAsync(DelaySystemUnderTestTests.QueryOf(2, 1), CancellationToken.None);
    }

    [Fact]
    public async Task IssueAsync_SeveralWorkers_EachWorkerIndexUsed()
    {
        var workers = new HashSet<int>();
        using var barrier = new Barrier(3);
        using var sut = new SynchronousSystemUnderTest(
            (_, worker) =>
            {
                lock (workers)
                {
                    workers.Add(worker);
                }

                // All three queries must be in flight at once, so three different workers hold them.
                barrier.SignalAndWait(TimeSpan.FromSeconds(5));
            },
            workerCount: 3);

        var tasks = Enumerable.Range(0, 3).Select(i => sut.IssueAsync(DelaySystemUnderTestTests.QueryOf(i, 1), CancellationToken.None).AsTask()).ToArray();
        await Task.WhenAll(tasks);

        Assert.Equal([0, 1, 2], workers.Order());
    }

    [Fact]
    public void IssueAsync_AfterDispose_Throws()
    {
        var sut = new SynchronousSystemUnderTest(_ => { });
        sut.Dispose();

        Assert.Throws<ObjectDisposedException>(() => sut.IssueAsync(DelaySystemUnderTestTests.QueryOf(1, 1), CancellationToken.None));
    }
}
