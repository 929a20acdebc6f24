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
    private readonly CompletionStats _shared = new();
    private readonly CompletionStats _inline = new();
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

    // Shared with completion threads: queries the SUT did not finish synchronously.
    private long _outstanding;

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
        _windows = new WindowTracker(_shared.Latency, _inline.Latency);
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
            // No coordinated omission: from the scheduled issue time, however late the issue was.
            var latency = Ticks.ToNanoseconds(completedTimestamp - pending.ScheduledTimestamp);
            var samples = pending.Query.SampleCount;
            // A synchronous completion runs on the issue thread, which owns _inline: no interlocked operations.
            var stats = completedInline ? _inline : _shared;
            if (succeeded && completedInline)
            {
                stats.RecordOwned(latency, samples, completedTimestamp);
            }
            else if (succeeded)
            {
                stats.RecordShared(latency, samples, completedTimestamp);
            }
            else if (completedInline)
            {
                stats.RecordOwnedFailure();
            }
            else
            {
                stats.RecordSharedFailure();
            }
        }

        _pool.Return(pending);
        if (!completedInline)
        {
            Interlocked.Decrement(ref _outstanding);
            if (_signalCompletions)
            {
                _completionSignal.Release();
            }
        }
    }

    private long CompletedQueries => _shared.Completed + _inline.Completed;

    private long CompletedSamples => _shared.Samples + _inline.Samples;

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

        if (!pending.Track(task))
        {
            // Counted only once the SUT went asynchronous; if its completion raced ahead and decremented
            // first, the count is briefly -1, but only this thread reads it.
            Interlocked.Increment(ref _outstanding);
        }
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

    /// <summary>
    /// The issue loops' one check: closes a due window, applies the stopping rule and watches for cancellation.
    /// True when the run must end; <paramref name="reason"/> says why (None for a cancellation).
    /// </summary>
    private bool ShouldStop(long now, out StopReason reason)
    {
        reason = StopReason.None;
        if (_measuring && now >= NextCheckpoint)
        {
            reason = Checkpoint(now);
            if (reason != StopReason.None)
            {
                return true;
            }
        }

        return _cancellationToken.IsCancellationRequested;
    }

    /// <summary>Closes a window if one ended and decides whether to stop; called when <see cref="NextCheckpoint"/> passes.</summary>
    private StopReason Checkpoint(long now)
    {
        var completed = CompletedQueries;
        if (now >= _nextWindowClose)
        {
            _windows.Close(now, completed, CompletedSamples);
            // A late close covers the whole gap; the next window starts now rather than in the past.
            _nextWindowClose = Math.Max(_nextWindowClose + _windowTicks, now + 1);
        }

        var reason = _stoppingRule.Evaluate(completed, _windows.Windows);
        if (reason is StopReason.Stable or StopReason.MinimumsReached && !ScheduleRateSettled(now))
        {
            reason = StopReason.None;
        }
        if (now >= _nextStopCheck)
        {
            // Past the minimum duration: the remaining conditions (query count, maximum) are checked often.
            _nextStopCheck = now + _stopCheckTicks;
        }

        return reason;
    }

    /// <summary>
    /// Server only: true once the Poisson arrivals issued so far are within <see cref="RunSettings.ServerRateTolerance"/>
    /// of the target rate. A short Poisson schedule's realised rate wanders by about 1/√N (10% at 100 arrivals); stopping
    /// only where it has come back to the target makes the achieved rate measure the system, not the sample.
    /// </summary>
    private bool ScheduleRateSettled(long now)
    {
        if (_settings.Scenario != Scenario.Server || _issued < 2)
        {
            return true;
        }
        var seconds = Ticks.ToSeconds(now - _measurementStart);
        var expected = _settings.TargetQps * seconds;
        return expected <= 0 || Math.Abs(_issued / expected - 1) <= _settings.ServerRateTolerance;
    }

    private void Drain()
    {
        var deadline = Stopwatch.GetTimestamp() + Ticks.FromTimeSpan(_settings.DrainTimeout);
        while (Volatile.Read(ref _outstanding) > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            Thread.Sleep(1);
        }
    }
}
