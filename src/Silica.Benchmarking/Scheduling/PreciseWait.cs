using System.Diagnostics;

namespace Silica.Benchmarking.Scheduling;

/// <summary>
/// Waits until a <see cref="Stopwatch"/> timestamp with microsecond precision and without burning a core
/// on long waits: it sleeps until about a millisecond before the target, then spins.
/// </summary>
/// <remarks>
/// <see cref="Thread.Sleep(int)"/> on Linux wakes 50–150 µs late on an idle machine and later under load,
/// so sleeping right up to the target would put that jitter into the schedule; the final millisecond is
/// spun. Each spin is one <see cref="Thread.SpinWait(int)"/> iteration (a PAUSE instruction, friendly to a
/// sibling hyper-thread): SpinWait(16) measured 420 ns on an AMD EPYC VM, coarse enough to visibly
/// distort 50 µs Poisson gaps, while SpinWait(1) plus a timestamp read is about 65 ns.
/// </remarks>
public static class PreciseWait
{
    /// <summary>Spin for waits shorter than this; sleep for the rest of longer ones.</summary>
    public static readonly TimeSpan SpinThreshold = TimeSpan.FromMilliseconds(1);

    private static readonly long SpinThresholdTicks = (long)(SpinThreshold.TotalSeconds * Stopwatch.Frequency);
    private static readonly long YieldThresholdTicks = Stopwatch.Frequency / 50_000; // 20 µs

    private static readonly double TicksPerMillisecond = Stopwatch.Frequency / 1000.0;

    /// <summary>Blocks until <see cref="Stopwatch.GetTimestamp"/> reaches <paramref name="targetTimestamp"/>.</summary>
    /// <param name="targetTimestamp">The Stopwatch timestamp to wait for.</param>
    /// <returns>The timestamp read when the wait ended (at or after the target).</returns>
    public static long Until(long targetTimestamp)
    {
        var now = Stopwatch.GetTimestamp();
        while (now < targetTimestamp)
        {
            var remaining = targetTimestamp - now;
            if (remaining > SpinThresholdTicks)
            {
                var sleepMs = (int)((remaining - SpinThresholdTicks) / TicksPerMillisecond);
                Thread.Sleep(Math.Max(sleepMs, 0));
            }
            else if (remaining > YieldThresholdTicks)
            {
                // Between a sleep's granularity and the last few microseconds, give the core to any runnable
                // thread (the model's workers) instead of spinning: on a 2-core machine a spinning issue thread
                // takes half the hardware away from the system it is measuring. sched_yield returns at once
                // when nothing else wants the core, so timing stays precise.
                Thread.Yield();
            }
            else
            {
                Thread.SpinWait(1);
            }

            now = Stopwatch.GetTimestamp();
        }

        return now;
    }
}
