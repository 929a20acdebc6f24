using System.Numerics;
using Silica.Benchmarking.Results;

namespace Silica.Benchmarking.Histograms;

/// <summary>
/// A thread-safe, allocation-free, mergeable log-linear histogram of latencies in nanoseconds, in the
/// style of HdrHistogram: values below 256 ns are exact, larger ones fall in buckets 1/128 of a power of
/// two wide, so a reported percentile (the bucket midpoint) is within 0.4% of the true sample. It covers
/// 0 to 60 s in 3,840 buckets (30 KB); larger values count as 60 s, negative ones as 0.
/// </summary>
/// <remarks>
/// Recording is four interlocked operations, so any number of completion threads can record into one
/// instance without a lock; read percentiles once recording has stopped (or accept a snapshot that may
/// miss in-flight records).
/// </remarks>
public sealed class LatencyHistogram
{
    /// <summary>Largest value tracked exactly enough; larger values are recorded as this.</summary>
    public const long MaxTrackableNanoseconds = 60_000_000_000;

    /// <summary>Number of buckets (the length of a count snapshot).</summary>
    public const int BucketCount = ((MaxExponent - SubBucketBits + 1) * HalfSubBuckets) + SubBuckets;

    private const int SubBucketBits = 8;
    private const int SubBuckets = 1 << SubBucketBits;
    private const int HalfSubBuckets = SubBuckets / 2;
    private const int MaxExponent = 35; // 2^35 ns ≈ 34 s <= 60 s < 2^36 ns

    private readonly long[] _counts = new long[BucketCount];
    private long _count;
    private long _sum;
    private long _min = long.MaxValue;
    private long _max;

    /// <summary>Number of values recorded.</summary>
    public long Count => Volatile.Read(ref _count);

    /// <summary>Smallest value recorded (exact), or 0 when empty.</summary>
    public long MinNanoseconds => Count == 0 ? 0 : Volatile.Read(ref _min);

    /// <summary>Largest value recorded (exact, after clamping to <see cref="MaxTrackableNanoseconds"/>).</summary>
    public long MaxNanoseconds => Volatile.Read(ref _max);

    /// <summary>Mean of the values recorded (exact), or 0 when empty.</summary>
    public double MeanNanoseconds => Count == 0 ? 0 : (double)Volatile.Read(ref _sum) / Count;

    /// <summary>Records one latency.</summary>
    /// <param name="nanoseconds">The latency in nanoseconds.</param>
    public void RecordNanoseconds(long nanoseconds)
    {
        var value = Math.Clamp(nanoseconds, 0, MaxTrackableNanoseconds);
        Interlocked.Increment(ref _counts[IndexOf(value)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sum, value);
        if (value > Volatile.Read(ref _max))
        {
            UpdateMax(value);
        }

        if (value < Volatile.Read(ref _min))
        {
            UpdateMin(value);
        }
    }

    /// <summary>
    /// Records one latency without interlocked operations, for a histogram that only one thread ever
    /// writes (the issue thread's own lag histogram); about 4× cheaper than <see cref="RecordNanoseconds"/>.
    /// </summary>
    internal void RecordNanosecondsSingleWriter(long nanoseconds)
    {
        var value = Math.Clamp(nanoseconds, 0, MaxTrackableNanoseconds);
        _counts[IndexOf(value)]++;
        _count++;
        _sum += value;
        _max = Math.Max(_max, value);
        _min = Math.Min(_min, value);
    }

    /// <summary>Records one latency.</summary>
    /// <param name="latency">The latency.</param>
    public void Record(TimeSpan latency) => RecordNanoseconds(latency.Ticks * 100);

    /// <summary>
    /// The value at a percentile by the nearest-rank rule (the smallest recorded value with at least
    /// <paramref name="percentile"/>% of values at or below it), to the histogram's precision.
    /// </summary>
    /// <param name="percentile">A percentile in [0, 100]; 100 gives the exact maximum.</param>
    /// <returns>The value in nanoseconds, or 0 when the histogram is empty.</returns>
    public long GetValueAtPercentile(double percentile)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        var value = ValueAtPercentile(_counts, Count, percentile);
        return Math.Clamp(value, MinNanoseconds, MaxNanoseconds);
    }

    /// <summary>Adds every value recorded in <paramref name="other"/> into this histogram.</summary>
    /// <param name="other">The histogram to merge in; it is not changed.</param>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Count == 0)
        {
            return;
        }

        for (var i = 0; i < BucketCount; i++)
        {
            var c = Volatile.Read(ref other._counts[i]);
            if (c != 0)
            {
                Interlocked.Add(ref _counts[i], c);
            }
        }

        Interlocked.Add(ref _count, other.Count);
        Interlocked.Add(ref _sum, Volatile.Read(ref other._sum));
        UpdateMax(other.MaxNanoseconds);
        UpdateMin(other.MinNanoseconds);
    }

    /// <summary>Clears the histogram. Not safe while other threads record.</summary>
    public void Reset()
    {
        Array.Clear(_counts);
        _count = 0;
        _sum = 0;
        _min = long.MaxValue;
        _max = 0;
    }

    /// <summary>The standard percentiles in microseconds.</summary>
    /// <returns>p50, p90, p95, p99, p99.9, max, mean and min of the recorded values.</returns>
    public LatencySummary Summarize() => new()
    {
        Count = Count,
        P50Us = GetValueAtPercentile(50) / 1000.0,
        P90Us = GetValueAtPercentile(90) / 1000.0,
        P95Us = GetValueAtPercentile(95) / 1000.0,
        P99Us = GetValueAtPercentile(99) / 1000.0,
        P999Us = GetValueAtPercentile(99.9) / 1000.0,
        MaxUs = MaxNanoseconds / 1000.0,
        MeanUs = MeanNanoseconds / 1000.0,
        MinUs = MinNanoseconds / 1000.0,
    };

    /// <summary>Adds the bucket counts into <paramref name="destination"/>, so a later snapshot minus this one gives one window's values.</summary>
    internal void AddCountsTo(Span<long> destination)
    {
        for (var i = 0; i < BucketCount; i++)
        {
            destination[i] += Volatile.Read(ref _counts[i]);
        }
    }

    /// <summary>The nearest-rank percentile over raw bucket counts (bucket midpoint, in nanoseconds).</summary>
    internal static long ValueAtPercentile(ReadOnlySpan<long> counts, long total, double percentile)
    {
        if (total <= 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * total));
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return MidpointOf(i);
            }
        }

        return MidpointOf(counts.Length - 1);
    }

    internal static int IndexOf(long value)
    {
        if (value < SubBuckets)
        {
            return (int)value;
        }

        var shift = 63 - BitOperations.LeadingZeroCount((ulong)value) - (SubBucketBits - 1);
        return (shift * HalfSubBuckets) + (int)(value >> shift);
    }

    internal static long MidpointOf(int index)
    {
        if (index < SubBuckets)
        {
            return index;
        }

        var shift = (index / HalfSubBuckets) - 1;
        var mantissa = index - (shift * HalfSubBuckets);
        return ((long)mantissa << shift) + ((1L << shift) / 2);
    }

    private void UpdateMax(long value)
    {
        var current = Volatile.Read(ref _max);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref _max, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private void UpdateMin(long value)
    {
        var current = Volatile.Read(ref _min);
        while (value < current)
        {
            var seen = Interlocked.CompareExchange(ref _min, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
