using System.Globalization;
using System.Text;

namespace Silica.Serving.Metrics;

/// <summary>
/// A lock-free latency histogram over fixed bucket bounds. Every Silica replica uses the same bounds, so buckets
/// from many replicas add up to a valid fleet histogram (a summary's quantiles cannot be merged; Triton's gap).
/// </summary>
internal sealed class DurationHistogram
{
    /// <summary>Upper bounds in seconds: 1, 2.5 and 5 per decade from 10 µs to 50 s (log-spaced, 21 buckets and +Inf).</summary>
    public static readonly double[] Bounds = BuildBounds();

    private static readonly string[] BoundLabels = [.. Bounds.Select(b => b.ToString("R", CultureInfo.InvariantCulture)), "+Inf"];
    private static readonly long[] BoundTicks = [.. Bounds.Select(b => (long)Math.Round(b * TimeSpan.TicksPerSecond))];

    private readonly long[] _counts = new long[Bounds.Length + 1];
    private long _sumTicks;

    public void Record(TimeSpan duration)
    {
        var ticks = Math.Max(0, duration.Ticks);
        var i = 0;
        while (i < BoundTicks.Length && ticks > BoundTicks[i])
        {
            i++;
        }
        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumTicks, ticks);
    }

    public long Count
    {
        get
        {
            long n = 0;
            foreach (ref var c in _counts.AsSpan())
            {
                n += Volatile.Read(ref c);
            }
            return n;
        }
    }

    public long SumNanoseconds => Interlocked.Read(ref _sumTicks) * 100;

    /// <summary>Writes the <c>_bucket</c>, <c>_sum</c> and <c>_count</c> lines of one labelled series.</summary>
    public void Render(StringBuilder text, string name, string labels)
    {
        long cumulative = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            cumulative += Volatile.Read(ref _counts[i]);
            text.Append(CultureInfo.InvariantCulture, $"{name}_bucket{{{labels},le=\"{BoundLabels[i]}\"}} {cumulative}\n");
        }
        var seconds = Interlocked.Read(ref _sumTicks) / (double)TimeSpan.TicksPerSecond;
        text.Append(CultureInfo.InvariantCulture, $"{name}_sum{{{labels}}} {seconds.ToString("R", CultureInfo.InvariantCulture)}\n");
        // The count is the last cumulative bucket, so +Inf equals _count even while requests keep arriving.
        text.Append(CultureInfo.InvariantCulture, $"{name}_count{{{labels}}} {cumulative}\n");
    }

    private static double[] BuildBounds()
    {
        var bounds = new List<double>();
        for (var exp = -5; exp <= 1; exp++)
        {
            foreach (var m in (ReadOnlySpan<double>)[1, 2.5, 5])
            {
                bounds.Add(double.Parse($"{m.ToString(CultureInfo.InvariantCulture)}e{exp}", CultureInfo.InvariantCulture));
            }
        }
        return [.. bounds];
    }
}
