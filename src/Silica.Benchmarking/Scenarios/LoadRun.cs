using System.Diagnostics;
using Silica.Benchmarking.Histograms;
using Silica.Benchmarking.Results;
using Silica.Benchmarking.Stopping;
using Silica.Benchmarking.SystemsUnderTest;

namespace Silica.Benchmarking.Scenarios;

/// <summary>
/// One run of the load generator. The issue thread owns the schedule, the windows and the stopping
/// decision; completions arrive on whatever thread the SUT finishes on and touch only the histogram,
/// interlocked counters and the pool.
/// </summary>
internal sealed partial class LoadRun
{
    private readonly ISystemUnderTest _sut;
    private readonly RunSettings _settings;
    private readonly CancellationToken _cancellationToken;
    private readonly LatencyHistogram _latency = new();
    private readonly LatencyHistogram _issueLag = new();
    private readonly ObjectPool<PendingQuery> _pool;
    private readonly SemaphoreSlim _completionSignal = new(0);
    private readonly bool _signalCompletions;
    private readonly Random _sampleIndices;
    private readonly StoppingRule _stoppingRule;
    private readonly WindowTracker _windows;
    private readonly long _windowTicks;
    private readonly long _stopCheckTicks;

    // Issue-thread state.
    private long _nextQueryId;
    private long _nextSampleId;
    private long _issued;
    private long _firstIssue;
    private long _lastIssue;
    private long _busyTicks;
    private bool _measuring;
    private long _measurementStart;
    private long _nextWindowClose;
    private long _nextStopCheck;
    private long _allocatedAtStart;
    private long _allocatedAtStop;

    // Shared with completion threads.
    private long _completed;
    private long _failed;
    private long _completedSamples;
    private long _outstanding;
    private long _lastCompletion;

    public LoadRun(ISystemUnderTest sut, RunSettings settings, CancellationToken cancellationToken)
    {
        _sut = sut;
        _settings = settings;
        _cancellationToken = cancellationToken;
        var capacity = settings.SamplesPerQuery;
        _pool = new ObjectPool<PendingQuery>(pool => new PendingQuery(this, capacity), InitialOutstanding(settings));
        // The Server issue thread never waits for completions, so completions need not wake it.
        _signalCompletions = settings.Scenario != Scenario.Server;
        _sampleIndices = new Random(settings.Seed ^ 0x5A5A5A5A);
        _stoppingRule = new StoppingRule(settings);
        _windows = new WindowTracker(_latency);
        _windowTicks = Ticks.FromTimeSpan(settings.WindowDuration);
        _stopCheckTicks = Math.Min(_windowTicks, Ticks.FromTimeSpan(TimeSpan.FromMilliseconds(1)));
    }

    private long NextCheckpoint => Math.Min(_nextWindowClose, _nextStopCheck);

    public BenchmarkResult Execute()
    {
        var startTime = DateTimeOffset.UtcNow;
        var reason = _settings.Scenario switch
        {
            Scenario.Server => RunServer(),
            Scenario.Offline => RunClosedLoop(_settings.OfflineQueueDepth),
            Scenario.Concurrency => RunClosedLoop(_settings.Concurrency),
            _ => RunClosedLoop(1),
        };
        _allocatedAtStop = GC.GetAllocatedBytesForCurrentThread();
        Drain();
        _cancellationToken.ThrowIfCancellationRequested();
        return BuildResult(startTime, reason);
    }

    /// <summary>Called by <see cref="PendingQuery"/> on the thread that finished the query.</summary>
    public void OnQueryFinished(PendingQuery pending, long completedTimestamp, bool succeeded, bool completedInline)
    {
        if (pending.Measured)
        {
            if (succeeded)
            {
                // No coordinated omission: from the scheduled issue time, however late the issue was.
                _latency.RecordNanoseconds(Ticks.ToNanoseconds(completedTimestamp - pending.ScheduledTimestamp));
                Interlocked.Add(ref _completedSamples, pending.Query.SampleCount);
                Interlocked.Increment(ref _completed);
                UpdateLastCompletion(completedTimestamp);
            }
            else
            {
                Interlocked.Increment(ref _failed);
            }
        }

        _pool.Return(pending);
        Interlocked.Decrement(ref _outstanding);
        if (_signalCompletions && !completedInline)
        {
            _completionSignal.Release();
        }
    }

    private static int InitialOutstanding(RunSettings settings) => settings.Scenario switch
    {
        Scenario.Offline => settings.OfflineQueueDepth,
        Scenario.Concurrency => settings.Concurrency,
        Scenario.Server => 256,
        _ => 2,
    };

    private void Issue(long scheduled, long now, bool measured)
    {
        var pending = _pool.Rent();
        var samples = _settings.SamplesPerQuery;
        pending.Query.Reset(_nextQueryId++, samples, _nextSampleId, _sampleIndices, _settings.SampleLibrarySize);
        _nextSampleId += samples;
        pending.ScheduledTimestamp = scheduled;
        pending.Measured = measured;
        if (measured)
        {
            if (_issued == 0)
            {
                _firstIssue = now;
            }

            _lastIssue = now;
            _issued++;
        }

        Interlocked.Increment(ref _outstanding);
        ValueTask task;
        try
        {
            task = _sut.IssueAsync(pending.Query, _cancellationToken);
        }
#pragma warning disable CA1031 // A SUT that throws instead of faulting its task still only fails that query.
        catch (Exception error)
#pragma warning restore CA1031
        {
            task = ValueTask.FromException(error);
        }

        pending.Track(task);
    }

    private void BeginMeasurement(long timestamp)
    {
        _measuring = true;
        _measurementStart = timestamp;
        _stoppingRule.StartAt(timestamp);
        _windows.Start(timestamp);
        _nextWindowClose = timestamp + _windowTicks;
        _nextStopCheck = timestamp + Math.Min(Ticks.FromTimeSpan(_settings.MinDuration), Ticks.FromTimeSpan(_settings.MaxDuration));
        _allocatedAtStart = GC.GetAllocatedBytesForCurrentThread();
    }

    /// <summary>Closes a window if one ended and decides whether to stop; called when <see cref="NextCheckpoint"/> passes.</summary>
    private StopReason Checkpoint(long now)
    {
        var completed = Volatile.Read(ref _completed);
        if (now >= _nextWindowClose)
        {
            _windows.Close(now, completed, Volatile.Read(ref _completedSamples));
            // A late close covers the whole gap; the next window starts now rather than in the past.
            _nextWindowClose = Math.Max(_nextWindowClose + _windowTicks, now + 1);
        }

        var reason = _stoppingRule.Evaluate(completed, _windows.Windows);
        if (now >= _nextStopCheck)
        {
            // Past the minimum duration: the remaining conditions (query count, maximum) are checked often.
            _nextStopCheck = now + _stopCheckTicks;
        }

        return reason;
    }

    private void Drain()
    {
        var deadline = Stopwatch.GetTimestamp() + Ticks.FromTimeSpan(_settings.DrainTimeout);
        while (Volatile.Read(ref _outstanding) > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Sleep(1);
        }
    }

    private void UpdateLastCompletion(long timestamp)
    {
        var current = Volatile.Read(ref _lastCompletion);
        while (timestamp > current)
        {
            var seen = Interlocked.CompareExchange(ref _lastCompletion, timestamp, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
