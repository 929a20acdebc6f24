using Microsoft.Extensions.Time.Testing;
using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Backends.Cpu;
using Silica.Runtime.Batching;
using Silica.Runtime.Tensors;

namespace Silica.Runtime.Tests.Batching;

public sealed class DynamicBatcherTests
{
    private static readonly SessionOptions OneThread = new() { IntraOpThreads = 1, AllowSpinning = false };

    private static Func<ISession> MlpSessions() => () => new CpuBackend().CreateSession(TestModels.Mlp(), OneThread);

    private static float[] Unbatched(ISession session, float[] input, int rows)
    {
        using var x = Tensor.FromArray(input, [rows, 16]);
        using var y = Tensor.Allocate(TensorDataType.Float, [rows, 8]);
        session.Run([x], [y]);
        return y.AsFloats().ToArray();
    }

    [Fact]
    public async Task InferAsync_ManyConcurrentCallersMixedRows_EachGetsItsOwnRows()
    {
        var options = new BatcherOptions { MaxBatchSize = 16, MaxQueueDelay = TimeSpan.FromMilliseconds(2), InstanceCount = 2 };
        await using var batcher = new DynamicBatcher(MlpSessions(), options);
        using var reference = MlpSessions()();
        const int Callers = 120;
        var inputs = new float[Callers][];
        var expected = new float[Callers][];
        for (var c = 0; c < Callers; c++)
        {
            var rows = (c % 5) + 1;
            inputs[c] = TestModels.Values(rows * 16, seed: c + 1);
            expected[c] = Unbatched(reference, inputs[c], rows);
        }

        var tasks = Enumerable.Range(0, Callers).Select(c => Task.Run(async () =>
        {
            using var x = Tensor.FromArray(inputs[c], [(c % 5) + 1, 16]);
            using var response = await batcher.InferAsync([x]);
            return (response["y"].Shape.ToArray(), response["y"].AsFloats().ToArray(), response.BatchSize);
        })).ToArray();
        var results = await Task.WhenAll(tasks);

        for (var c = 0; c < Callers; c++)
        {
            Assert.Equal(new long[] { (c % 5) + 1, 8 }, results[c].Item1);
            var actual = results[c].Item2;
            Assert.Equal(expected[c].Length, actual.Length);
            for (var i = 0; i < actual.Length; i++)
            {
                Assert.True(Math.Abs(expected[c][i] - actual[i]) <= 1e-5f, $"caller {c} element {i}: {actual[i]} != {expected[c][i]}");
            }
        }
        var counters = batcher.Counters;
        Assert.Equal(Callers, counters.RequestsExecuted);
        Assert.Equal(results.Sum(r => r.Item1[0]), counters.RowsExecuted);
        Assert.True(counters.BatchesExecuted < Callers, $"{counters.BatchesExecuted} batches for {Callers} requests: nothing was batched");
        Assert.Equal(0, counters.QueueLength);
    }

    [Fact]
    public async Task InferAsync_RowsBelowPreferredSize_PadsToPreferredAndReturnsOwnRows()
    {
        var time = new FakeTimeProvider();
        var options = new BatcherOptions { MaxBatchSize = 8, PreferredBatchSizes = [4, 8], MaxQueueDelay = TimeSpan.FromMilliseconds(10) };
        await using var batcher = new DynamicBatcher(MlpSessions(), options, time);
        using var reference = MlpSessions()();
        var a = TestModels.Values(2 * 16, 1);
        var b = TestModels.Values(1 * 16, 2);
        using var xa = Tensor.FromArray(a, [2, 16]);
        using var xb = Tensor.FromArray(b, [1, 16]);

        var ta = batcher.InferAsync([xa]);
        var tb = batcher.InferAsync([xb]);
        await WaitForQueueLength(batcher, 2);
        time.Advance(TimeSpan.FromMilliseconds(10));
        using var ra = await ta;
        using var rb = await tb;

        Assert.Equal(4, ra.BatchSize);
        Assert.Equal(Unbatched(reference, a, 2), ra.Outputs[0].AsFloats().ToArray());
        Assert.Equal(Unbatched(reference, b, 1), rb.Outputs[0].AsFloats().ToArray());
        Assert.Equal(1, batcher.Counters.BatchesExecuted);
        Assert.Equal(1, batcher.Counters.PaddingRows);
        Assert.Equal(3, batcher.Counters.AverageBatchSize);
    }

    [Fact]
    public async Task InferAsync_QueueFull_RejectsImmediatelyWithRetryHint()
    {
        var time = new FakeTimeProvider();
        var options = new BatcherOptions { MaxBatchSize = 8, MaxQueueSize = 2, MaxQueueDelay = TimeSpan.FromSeconds(1) };
        await using var batcher = new DynamicBatcher(MlpSessions(), options, time);
        using var x = Tensor.FromArray(TestModels.Values(16, 1), [1, 16]);

        var first = batcher.InferAsync([x]);
        var second = batcher.InferAsync([x]);
        var third = batcher.InferAsync([x]);

        Assert.True(third.IsFaulted);
        var e = await Assert.ThrowsAsync<QueueFullException>(async () => await third);
        Assert.Equal(2, e.QueueSize);
        Assert.True(e.RetryAfter >= TimeSpan.FromSeconds(1), $"retry after {e.RetryAfter}");
        Assert.Equal(1, batcher.Counters.RejectedQueueFull);

        time.Advance(TimeSpan.FromSeconds(1));
        (await first).Dispose();
        (await second).Dispose();
        Assert.Equal(2, batcher.Counters.RequestsExecuted);
    }

    [Fact]
    public async Task InferAsync_QueuedLongerThanTimeout_RejectedAndNeverExecuted()
    {
        var time = new FakeTimeProvider();
        var options = new BatcherOptions { MaxBatchSize = 8, MaxQueueDelay = TimeSpan.FromSeconds(10), QueueTimeout = TimeSpan.FromMilliseconds(100) };
        await using var batcher = new DynamicBatcher(MlpSessions(), options, time);
        using var x = Tensor.FromArray(TestModels.Values(16, 1), [1, 16]);

        var pending = batcher.InferAsync([x]);
        await WaitForQueueLength(batcher, 1);
        time.Advance(TimeSpan.FromMilliseconds(150));

        var e = await Assert.ThrowsAsync<QueueTimeoutException>(async () => await pending);
        Assert.True(e.Waited >= TimeSpan.FromMilliseconds(100));
        var counters = batcher.Counters;
        Assert.Equal(1, counters.RejectedTimeout);
        Assert.Equal(0, counters.BatchesExecuted);
        Assert.Equal(0, counters.QueueLength);
    }

    [Fact]
    public async Task InferAsync_CanceledWhileQueued_DroppedAndSlotFreed()
    {
        var time = new FakeTimeProvider();
        var options = new BatcherOptions { MaxBatchSize = 8, MaxQueueSize = 1, MaxQueueDelay = TimeSpan.FromSeconds(1) };
        await using var batcher = new DynamicBatcher(MlpSessions(), options, time);
        using var x = Tensor.FromArray(TestModels.Values(16, 1), [1, 16]);
        using var cts = new CancellationTokenSource();

        var canceled = batcher.InferAsync([x], cts.Token);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await canceled);
        var admitted = batcher.InferAsync([x]);
        Assert.False(admitted.IsFaulted);
        time.Advance(TimeSpan.FromSeconds(1));
        (await admitted).Dispose();

        var counters = batcher.Counters;
        Assert.Equal(1, counters.Canceled);
        Assert.Equal(1, counters.RequestsExecuted);
        Assert.Equal(1, counters.RowsExecuted);
    }

    [Fact]
    public async Task InferAsync_AlreadyCanceledToken_NeverQueued()
    {
        await using var batcher = new DynamicBatcher(MlpSessions(), new BatcherOptions());
        using var x = Tensor.FromArray(TestModels.Values(16, 1), [1, 16]);

        var task = batcher.InferAsync([x], new CancellationToken(canceled: true));

        Assert.True(task.IsCanceled);
        Assert.Equal(0, batcher.Counters.QueueLength);
    }

    [Fact]
    public async Task InferAsync_BadRequestsBesideGoodOnes_OnlyBadOnesFail()
    {
        var options = new BatcherOptions { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.FromMilliseconds(5) };
        await using var batcher = new DynamicBatcher(MlpSessions(), options);
        using var reference = MlpSessions()();
        var good = TestModels.Values(2 * 16, 3);
        using var goodX = Tensor.FromArray(good, [2, 16]);
        using var wrongType = Tensor.FromArray(new long[32], [2, 16]);
        using var wrongDim = Tensor.Allocate(TensorDataType.Float, [2, 15]);
        using var tooMany = Tensor.Allocate(TensorDataType.Float, [5, 16]);
        using var noRows = Tensor.Allocate(TensorDataType.Float, [0, 16]);
        using var wrongRank = Tensor.Allocate(TensorDataType.Float, [32]);

        var goodTasks = Enumerable.Range(0, 6).Select(_ => batcher.InferAsync([goodX]).AsTask()).ToArray();
        var bad = new (Tensor[] Inputs, string Message)[]
        {
            ([wrongType], "input 'x' expects float, got int64"),
            ([wrongDim], "input 'x' expects shape [batch,16], got [2,15]"),
            ([tooMany], "input 'x' has 5 rows; a request must have 1 to 4"),
            ([noRows], "input 'x' has 0 rows; a request must have 1 to 4"),
            ([wrongRank], "input 'x' expects rank 2 [batch,16], got float[32]"),
            ([goodX, goodX], "expected 1 input(s) (x), got 2"),
        };
        foreach (var (inputs, message) in bad)
        {
            var e = await Assert.ThrowsAsync<InvalidInputException>(async () => await batcher.InferAsync(inputs));
            Assert.Equal(message, e.Message);
        }

        var expected = Unbatched(reference, good, 2);
        foreach (var t in goodTasks)
        {
            using var r = await t;
            Assert.Equal(expected, r.Outputs[0].AsFloats().ToArray());
        }
        Assert.Equal(bad.Length, batcher.Counters.RejectedInvalid);
        Assert.Equal(6, batcher.Counters.RequestsExecuted);
    }

    [Fact]
    public async Task DisposeAsync_WithQueuedRequests_RunsThemThenRefusesNewOnes()
    {
        var time = new FakeTimeProvider();
        var batcher = new DynamicBatcher(MlpSessions(), new BatcherOptions { MaxQueueDelay = TimeSpan.FromHours(1) }, time);
        using var x = Tensor.FromArray(TestModels.Values(16, 1), [1, 16]);
        var queued = batcher.InferAsync([x]);

        await batcher.DisposeAsync();

        using (var r = await queued)
        {
            Assert.Equal(8, r.Outputs[0].ElementCount);
        }
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await batcher.InferAsync([x]));
    }

    [Fact]
    public async Task Constructor_OutputDimensionNotFromInputs_ThrowsNotSupported()
    {
        Func<ISession> factory = () => new CpuBackend().CreateSession(TestModels.UnknownOutputWidth(), OneThread);

        var e = Assert.Throws<NotSupportedException>(() => new DynamicBatcher(factory, new BatcherOptions()));

        Assert.Contains("output 'y'", e.Message, StringComparison.Ordinal);
        await Task.CompletedTask;
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(8, 0, 1)]
    [InlineData(8, 1, 0)]
    public void Constructor_InvalidOptions_Throws(int maxBatch, int queueSize, int instances)
    {
        var options = new BatcherOptions { MaxBatchSize = maxBatch, MaxQueueSize = queueSize, InstanceCount = instances };

        Assert.Throws<ArgumentException>(() => new DynamicBatcher(MlpSessions(), options));
    }

    private static async Task WaitForQueueLength(DynamicBatcher batcher, int length)
    {
        // The 30 s bound only stops a broken test: a starved CI runner can take a while to enqueue.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (batcher.Counters.QueueLength != length && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(2);
        }
        Assert.Equal(length, batcher.Counters.QueueLength);
    }
}
