using System.Diagnostics;
using Silica.Benchmarking.Scheduling;
using Silica.Benchmarking.Stopping;

namespace Silica.Benchmarking.Scenarios;

internal sealed partial class LoadRun
{
    /// <summary>Arrivals precomputed at most (128 MB of schedule); a longer run stops with <see cref="StopReason.ScheduleExhausted"/>.</summary>
    private const int MaxScheduleLength = 16 * 1024 * 1024;

    /// <summary>
    /// Open loop: issue at the precomputed Poisson arrival times whether or not earlier queries finished.
    /// A late issue (SUT blocking the issue call, a descheduled thread) is still measured from its
    /// scheduled time, so it shows as latency instead of quietly lowering the offered load.
    /// </summary>
    private StopReason RunServer()
    {
        var offsets = new PoissonSchedule(_settings.TargetQps, _settings.Seed).CreateArrivalOffsets(ScheduleLength());
        // Exact counts at the end of the warm-up and at every window boundary after it (where the run can stop):
        // the rate measured over the run is the target, not the target plus a short sample's 1/√N noise. Within a
        // window, arrivals stay Poisson (uniform order statistics); only the count per window is fixed.
        var warmup = _settings.WarmupDuration.TotalSeconds;
        var window = _settings.WindowDuration.TotalSeconds;
        var breakpoints = new List<double> { warmup };
        for (var t = warmup + window; t <= warmup + _settings.MaxDuration.TotalSeconds + window; t += window)
        {
            breakpoints.Add(t);
        }
        PoissonSchedule.ConditionOnCounts(offsets, _settings.TargetQps, breakpoints);
        // A millisecond of lead so the first arrivals are not late merely because setup took time.
        var start = Stopwatch.GetTimestamp() + Ticks.FromTimeSpan(TimeSpan.FromMilliseconds(1));
        var warmupEnd = start + Ticks.FromTimeSpan(_settings.WarmupDuration);
        var now = Stopwatch.GetTimestamp();
        for (var i = 0; i < offsets.Length; i++)
        {
            var scheduled = start + offsets[i];
            var measured = i >= _settings.WarmupQueries && scheduled >= warmupEnd;
            if (measured && !_measuring)
            {
                BeginMeasurement(scheduled);
            }

            // 'now' carries over from the end of the previous issue: one clock read (~30 ns) fewer per query.
            while (now < scheduled)
            {
                if (ShouldStop(now, out var waitStop))
                {
                    return waitStop;
                }

                now = PreciseWait.Until(_measuring ? Math.Min(scheduled, NextCheckpoint) : scheduled);
            }

            if (measured)
            {
                _issueLag.RecordNanosecondsSingleWriter(Ticks.ToNanoseconds(now - scheduled));
            }

            Issue(scheduled, now, measured);
            var issued = Stopwatch.GetTimestamp();
            _busyTicks += issued - now;
            now = issued;
            if (ShouldStop(now, out var stop))
            {
                return stop;
            }
        }

        return StopReason.ScheduleExhausted;
    }

    /// <summary>Enough arrivals for warm-up plus the maximum duration, with six standard deviations to spare.</summary>
    private int ScheduleLength()
    {
        var seconds = (_settings.WarmupDuration + _settings.MaxDuration).TotalSeconds;
        var expected = (_settings.TargetQps * seconds) + _settings.WarmupQueries;
        var length = expected + (6 * Math.Sqrt(expected)) + 16;
        return (int)Math.Min(length, MaxScheduleLength);
    }
}
