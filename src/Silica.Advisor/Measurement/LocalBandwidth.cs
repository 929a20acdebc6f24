using System.Diagnostics;

namespace Silica.Advisor.Measurement;

/// <summary>
/// Measures this machine's memory bandwidth with a parallel copy of a buffer far larger than any cache: the catalog
/// cannot know the bandwidth of an arbitrary machine, and the roofline needs one.
/// </summary>
public static class LocalBandwidth
{
    private const int BufferBytes = 64 << 20;

    /// <summary>Copy bandwidth in GB/s (bytes read + bytes written per second), best of a few passes.</summary>
    public static double MeasureGBps()
    {
        var source = GC.AllocateUninitializedArray<byte>(BufferBytes);
        var target = GC.AllocateUninitializedArray<byte>(BufferBytes);
        source.AsSpan().Fill(1);
        target.AsSpan().Fill(2); // touch every page before timing
        var workers = Math.Max(1, Environment.ProcessorCount);
        var chunk = BufferBytes / workers;
        var best = double.MaxValue;
        for (var pass = 0; pass < 5; pass++)
        {
            var t0 = Stopwatch.GetTimestamp();
            Parallel.For(0, workers, w => source.AsSpan(w * chunk, chunk).CopyTo(target.AsSpan(w * chunk, chunk)));
            best = Math.Min(best, Stopwatch.GetElapsedTime(t0).TotalSeconds);
        }
        return 2.0 * chunk * workers / best / 1e9;
    }
}
