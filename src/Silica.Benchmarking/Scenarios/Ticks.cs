using System.Diagnostics;

namespace Silica.Benchmarking.Scenarios;

/// <summary>Conversions between <see cref="Stopwatch"/> ticks and other units.</summary>
internal static class Ticks
{
    private static readonly double NanosecondsPerTick = 1e9 / Stopwatch.Frequency;

    public static long FromTimeSpan(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    public static long ToNanoseconds(long ticks) => (long)(ticks * NanosecondsPerTick);

    public static double ToSeconds(long ticks) => (double)ticks / Stopwatch.Frequency;

    public static TimeSpan ToTimeSpan(long ticks) => TimeSpan.FromSeconds(ToSeconds(ticks));
}
