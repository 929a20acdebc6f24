using Silica.Runtime.Batching;
using Silica.Serving.Core;

namespace Silica.Serving.Metrics;

/// <summary>
/// Counters of one model version. Updated with interlocked adds on the request path (no locks, no allocation);
/// read by <see cref="ServingMetrics.Render"/> and the statistics extension. Survives reloads of the version.
/// </summary>
internal sealed class VersionStats
{
    private readonly long[] _failures = new long[FailureReasons.Count];
    private readonly Lock _batchersLock = new();
    private List<DynamicBatcher> _batchers = [];
    private long _retiredExecutions;
    private long _success;
    private long _successTicks;
    private long _failureTicks;
    private long _inferences;
    private long _queueCount;
    private long _queueTicks;
    private long _computeCount;
    private long _computeTicks;
    private long _lastInferenceUnixMs;
    private long _inFlight;

    public VersionStats(string model, string version)
    {
        Model = model;
        Version = version;
        Labels = $"model=\"{Escape(model)}\",version=\"{Escape(version)}\"";
    }

    public string Model { get; }

    public string Version { get; }

    /// <summary>The Prometheus label set, built once.</summary>
    public string Labels { get; }

    public DurationHistogram Queue { get; } = new();

    public DurationHistogram Compute { get; } = new();

    public DurationHistogram Total { get; } = new();

    public long InFlight => Interlocked.Read(ref _inFlight);

    public long Success => Interlocked.Read(ref _success);

    public long Inferences => Interlocked.Read(ref _inferences);

    public long Failures(FailureReason reason) => Interlocked.Read(ref _failures[(int)reason]);

    public void Enter() => Interlocked.Increment(ref _inFlight);

    public void Leave() => Interlocked.Decrement(ref _inFlight);

    public void RecordSuccess(long rows, TimeSpan queue, TimeSpan total, long nowUnixMs)
    {
        var compute = total > queue ? total - queue : TimeSpan.Zero;
        Interlocked.Increment(ref _success);
        Interlocked.Add(ref _successTicks, total.Ticks);
        Interlocked.Add(ref _inferences, rows);
        Interlocked.Increment(ref _queueCount);
        Interlocked.Add(ref _queueTicks, queue.Ticks);
        Interlocked.Increment(ref _computeCount);
        Interlocked.Add(ref _computeTicks, compute.Ticks);
        Volatile.Write(ref _lastInferenceUnixMs, nowUnixMs);
        Queue.Record(queue);
        Compute.Record(compute);
        Total.Record(total);
    }

    public void RecordFailure(FailureReason reason, TimeSpan total)
    {
        Interlocked.Increment(ref _failures[(int)reason]);
        Interlocked.Add(ref _failureTicks, total.Ticks);
        Total.Record(total);
    }

    /// <summary>Counts <paramref name="batcher"/>'s batches and queue from now on.</summary>
    public void Attach(DynamicBatcher batcher)
    {
        lock (_batchersLock)
        {
            _batchers = [.. _batchers, batcher];
        }
    }

    /// <summary>Folds a retiring batcher's final batch count into the total, so the counter never goes down.</summary>
    public void Detach(DynamicBatcher batcher)
    {
        lock (_batchersLock)
        {
            _retiredExecutions += batcher.Counters.BatchesExecuted;
            _batchers = [.. _batchers.Where(b => b != batcher)];
        }
    }

    public long Executions
    {
        get
        {
            lock (_batchersLock)
            {
                return _retiredExecutions + _batchers.Sum(b => b.Counters.BatchesExecuted);
            }
        }
    }

    public long Pending
    {
        get
        {
            lock (_batchersLock)
            {
                return _batchers.Sum(b => (long)b.Counters.QueueLength);
            }
        }
    }

    public ModelStatistics Snapshot()
    {
        long failures = 0;
        foreach (ref var f in _failures.AsSpan())
        {
            failures += Interlocked.Read(ref f);
        }
        return new ModelStatistics(Model, Version, Volatile.Read(ref _lastInferenceUnixMs), Inferences, Executions,
            Success, Interlocked.Read(ref _successTicks) * 100, failures, Interlocked.Read(ref _failureTicks) * 100,
            Interlocked.Read(ref _queueCount), Interlocked.Read(ref _queueTicks) * 100,
            Interlocked.Read(ref _computeCount), Interlocked.Read(ref _computeTicks) * 100);
    }

    // Model names are validated to [A-Za-z0-9_.-], but escape anyway so the exposition can never be broken.
    private static string Escape(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
