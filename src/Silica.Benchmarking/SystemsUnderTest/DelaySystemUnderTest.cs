using System.Diagnostics;
using Silica.Benchmarking.Scheduling;

namespace Silica.Benchmarking.SystemsUnderTest;

/// <summary>
/// A model-free system under test that takes a fixed service time per query (plus an optional time per
/// sample) on a given number of parallel servers, like an M/D/c queue. It costs no CPU while "working",
/// so tests and calibration runs see the load generator and the queueing, not a model.
/// </summary>
/// <remarks>
/// A query starts service when it arrives or when the earliest server frees, whichever is later, and
/// completes one service time after that; completions are signalled by one timer thread that waits
/// precisely (<see cref="PreciseWait"/>-style) for the earliest due query.
/// </remarks>
public sealed class DelaySystemUnderTest : ISystemUnderTest, IDisposable
{
    private readonly long _queryTicks;
    private readonly long _sampleTicks;
    private readonly long[]? _serverFreeAt;
    private readonly PriorityQueue<PooledCompletion, long> _due = new();
    private readonly ObjectPool<PooledCompletion> _completions = new(static pool => new PooledCompletion(pool));
    private readonly Lock _lock = new();
    private readonly AutoResetEvent _wake = new(false);
    private readonly Thread _timer;
    private volatile bool _disposed;

    /// <summary>Creates the delay SUT.</summary>
    /// <param name="perQuery">Service time of every query, independent of its size.</param>
    /// <param name="perSample">Extra service time per sample in the query.</param>
    /// <param name="servers">Queries served at once; 0 means unlimited (pure delay, no queueing).</param>
    public DelaySystemUnderTest(TimeSpan perQuery, TimeSpan perSample = default, int servers = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perQuery, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(perSample, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(servers);
        _queryTicks = ToTicks(perQuery);
        _sampleTicks = ToTicks(perSample);
        _serverFreeAt = servers == 0 ? null : new long[servers];
        _timer = new Thread(TimerLoop) { IsBackground = true, Name = "silica-delay-sut" };
        _timer.Start();
    }

    /// <inheritdoc />
    public ValueTask IssueAsync(Query query, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var now = Stopwatch.GetTimestamp();
        var service = _queryTicks + (_sampleTicks * query.SampleCount);
        var completion = _completions.Rent();
        completion.Query = query;
        bool earliest;
        lock (_lock)
        {
            var start = now;
            if (_serverFreeAt is not null)
            {
                var server = 0;
                for (var i = 1; i < _serverFreeAt.Length; i++)
                {
                    if (_serverFreeAt[i] < _serverFreeAt[server])
                    {
                        server = i;
                    }
                }

                start = Math.Max(now, _serverFreeAt[server]);
                _serverFreeAt[server] = start + service;
            }

            completion.DueTicks = start + service;
            _due.Enqueue(completion, completion.DueTicks);
            earliest = _due.Peek() == completion;
        }

        if (earliest)
        {
            // Only a new earliest deadline changes how long the timer thread should sleep.
            _wake.Set();
        }

        return completion.Task;
    }

    /// <summary>Stops the timer thread; queries still pending never complete.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _wake.Set();
        // Completions run inline on the timer thread, so Dispose may be called from it (by code that
        // awaited a query); then the loop ends when that code returns, and the thread must not join itself.
        if (_timer != Thread.CurrentThread)
        {
            _timer.Join();
            _wake.Dispose();
        }
    }

    private static long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    private void TimerLoop()
    {
        var spinThreshold = ToTicks(PreciseWait.SpinThreshold);
        while (!_disposed)
        {
            PooledCompletion? ready = null;
            var remaining = long.MaxValue;
            lock (_lock)
            {
                if (_due.TryPeek(out _, out var due))
                {
                    remaining = due - Stopwatch.GetTimestamp();
                    if (remaining <= 0)
                    {
                        ready = _due.Dequeue();
                    }
                }
            }

            if (ready is not null)
            {
                // Outside the lock: the continuation records latency and may issue the next query.
                ready.SetResult();
            }
            else if (remaining == long.MaxValue)
            {
                _wake.WaitOne();
            }
            else if (remaining > spinThreshold)
            {
                // Wakes early if a query with an earlier deadline arrives meanwhile.
                _wake.WaitOne((int)((remaining - spinThreshold) * 1000 / Stopwatch.Frequency));
            }
            else
            {
                Thread.SpinWait(1);
            }
        }
    }
}
