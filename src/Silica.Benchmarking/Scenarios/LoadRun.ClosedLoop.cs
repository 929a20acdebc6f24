using System.Diagnostics;
using Silica.Benchmarking.Stopping;

namespace Silica.Benchmarking.Scenarios;

internal sealed partial class LoadRun
{
    /// <summary>
    /// Closed loop: keep <paramref name="outstandingLimit"/> queries in flight, issuing the next as soon
    /// as one completes (SingleStream and MultiStream: 1; Concurrency: C; Offline: a deep queue). The
    /// issue is its own schedule here, so latency runs from the actual issue time.
    /// </summary>
    private StopReason RunClosedLoop(int outstandingLimit)
    {
        var warmupEnd = Stopwatch.GetTimestamp() + Ticks.FromTimeSpan(_settings.WarmupDuration);
        long index = 0;
        while (true)
        {
            var now = Stopwatch.GetTimestamp();
            if (ShouldStop(now, out var stop))
            {
                return stop;
            }

            if (Volatile.Read(ref _outstanding) < outstandingLimit)
            {
                var measured = index >= _settings.WarmupQueries && now >= warmupEnd;
                if (measured && !_measuring)
                {
                    BeginMeasurement(now);
                }

                Issue(now, now, measured);
                index++;
                _busyTicks += Stopwatch.GetTimestamp() - now;
                continue;
            }

            // All slots busy: sleep until a completion frees one or the next checkpoint is due.
            _completionSignal.Wait(WaitMilliseconds(now));
        }
    }

    private int WaitMilliseconds(long now)
    {
        if (!_measuring)
        {
            return 10;
        }

        var ms = Math.Ceiling(Ticks.ToSeconds(NextCheckpoint - now) * 1000);
        return (int)Math.Clamp(ms, 1, 1000);
    }
}
