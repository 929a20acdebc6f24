using System.Threading.Tasks.Sources;

namespace Silica.Benchmarking.SystemsUnderTest;

/// <summary>
/// A reusable <see cref="IValueTaskSource"/> for one in-flight query, so the adapters complete queries
/// without allocating a <see cref="Task"/> each time. It returns itself to its pool when the awaiter
/// reads the result, which the load generator does exactly once per query.
/// </summary>
internal sealed class PooledCompletion : IValueTaskSource
{
    private readonly ObjectPool<PooledCompletion> _pool;
    private ManualResetValueTaskSourceCore<bool> _core;

    public PooledCompletion(ObjectPool<PooledCompletion> pool)
    {
        _pool = pool;
        // Continuations run inline on the completing thread: the load generator's continuation only
        // timestamps and records, and a hop to the thread pool would add its queueing delay to latency.
        _core.RunContinuationsAsynchronously = false;
    }

    /// <summary>The query being processed; cleared when the completion is returned to the pool.</summary>
    public Query? Query { get; set; }

    /// <summary>When the work is due (Stopwatch ticks), for adapters that complete on a schedule.</summary>
    public long DueTicks { get; set; }

    public ValueTask Task => new(this, _core.Version);

    public void SetResult() => _core.SetResult(true);

    public void SetException(Exception error) => _core.SetException(error);

    public void GetResult(short token)
    {
        try
        {
            _core.GetResult(token);
        }
        finally
        {
            Query = null;
            _core.Reset();
            _pool.Return(this);
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
        => _core.OnCompleted(continuation, state, token, flags);
}
