using System.Collections.Concurrent;

namespace Silica.Benchmarking.SystemsUnderTest;

/// <summary>Runs one query synchronously on a worker thread (for example one ONNX Runtime <c>Run</c> call).</summary>
/// <param name="query">The query to run; valid only during the call.</param>
/// <param name="workerIndex">Which worker runs it, in <c>[0, workerCount)</c>, for per-worker state such as sessions or buffers.</param>
public delegate void QueryHandler(Query query, int workerIndex);

/// <summary>
/// Adapts a blocking inference call to <see cref="ISystemUnderTest"/>: queries wait in a FIFO queue and
/// a fixed set of dedicated worker threads runs them. Queueing in front of busy workers is part of the
/// measured latency, as it would be in a server.
/// </summary>
/// <remarks>
/// The returned task completes on the worker thread and runs its continuation inline there (the load
/// generator's continuation only timestamps and records); code that awaits it directly should not do
/// long work before yielding.
/// </remarks>
public sealed class SynchronousSystemUnderTest : ISystemUnderTest, IDisposable
{
    private readonly QueryHandler _handler;
    private readonly ConcurrentQueue<PooledCompletion> _queue = new();
    private readonly SemaphoreSlim _ready = new(0);
    private readonly ObjectPool<PooledCompletion> _completions = new(static pool => new PooledCompletion(pool));
    private readonly Thread[] _workers;
    private volatile bool _disposed;

    /// <summary>Creates the adapter over a handler that receives the whole query.</summary>
    /// <param name="handler">Runs one query to completion; an exception fails that query only.</param>
    /// <param name="workerCount">Number of worker threads (concurrent queries the SUT processes).</param>
    public SynchronousSystemUnderTest(QueryHandler handler, int workerCount = 1)
    {
        ArgumentNullException.ThrowIfNull(handler);
        ArgumentOutOfRangeException.ThrowIfLessThan(workerCount, 1);
        _handler = handler;
        _workers = new Thread[workerCount];
        for (var i = 0; i < workerCount; i++)
        {
            _workers[i] = new Thread(WorkerLoop) { IsBackground = true, Name = $"silica-sut-worker-{i}" };
            _workers[i].Start(i);
        }
    }

    /// <summary>Creates the adapter over a handler that only needs the batch size.</summary>
    /// <param name="runBatch">Runs inference on a batch of the given number of samples.</param>
    /// <param name="workerCount">Number of worker threads (concurrent queries the SUT processes).</param>
    public SynchronousSystemUnderTest(Action<int> runBatch, int workerCount = 1)
        : this(FromBatchRunner(runBatch), workerCount)
    {
    }

    /// <summary>Number of worker threads.</summary>
    public int WorkerCount => _workers.Length;

    /// <inheritdoc />
    public ValueTask IssueAsync(Query query, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var completion = _completions.Rent();
        completion.Query = query;
        _queue.Enqueue(completion);
        _ready.Release();
        return completion.Task;
    }

    /// <summary>Stops the worker threads after the queries already queued have run.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _ready.Release(_workers.Length);
        var joinedAll = true;
        foreach (var worker in _workers)
        {
            // Continuations of a query run inline on its worker, so Dispose may be called from a
            // worker itself; that one exits when the continuation returns and must not join itself.
            if (worker == Thread.CurrentThread)
            {
                joinedAll = false;
                continue;
            }

            worker.Join();
        }

        if (joinedAll)
        {
            _ready.Dispose();
        }
    }

    private static QueryHandler FromBatchRunner(Action<int> runBatch)
    {
        ArgumentNullException.ThrowIfNull(runBatch);
        return (query, _) => runBatch(query.SampleCount);
    }

    private void WorkerLoop(object? state)
    {
        var workerIndex = (int)state!;
        while (true)
        {
            _ready.Wait();
            if (!_queue.TryDequeue(out var completion))
            {
                if (_disposed)
                {
                    return;
                }

                continue;
            }

            try
            {
                _handler(completion.Query!, workerIndex);
            }
#pragma warning disable CA1031 // Any failure of the user's inference call fails that query, not the worker.
            catch (Exception error)
#pragma warning restore CA1031
            {
                completion.SetException(error);
                continue;
            }

            completion.SetResult();
        }
    }
}
