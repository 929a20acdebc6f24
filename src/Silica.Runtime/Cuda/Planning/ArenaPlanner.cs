namespace Silica.Runtime.Cuda.Planning;

/// <summary>Offsets in one arena for buffers live over step ranges, and the peak size.</summary>
internal sealed record ArenaAssignment(long[] Offsets, long PeakBytes);

/// <summary>
/// Greedy best-fit packing: buffers are placed largest first, each into the smallest gap left by already placed
/// buffers whose lifetimes overlap its own (or above them all), at 256-byte alignment. Buffers with disjoint
/// lifetimes [First, Last] (inclusive step indices) may share bytes.
/// </summary>
internal static class ArenaPlanner
{
    public const long Alignment = 256;

    public static ArenaAssignment Assign(IReadOnlyList<(long Bytes, int First, int Last)> buffers)
    {
        var offsets = new long[buffers.Count];
        var placed = new List<int>();
        long peak = 0;
        var order = Enumerable.Range(0, buffers.Count)
            .OrderByDescending(i => buffers[i].Bytes).ThenBy(i => buffers[i].First).ThenBy(i => i);
        foreach (var i in order)
        {
            var size = AlignUp(Math.Max(buffers[i].Bytes, 1));
            var live = placed.Where(j => buffers[j].First <= buffers[i].Last && buffers[i].First <= buffers[j].Last)
                .Select(j => (Start: offsets[j], End: offsets[j] + AlignUp(Math.Max(buffers[j].Bytes, 1))))
                .OrderBy(r => r.Start).ToList();
            long best = -1, bestGap = long.MaxValue, cursor = 0;
            foreach (var (start, end) in live)
            {
                var gap = start - cursor;
                if (gap >= size && gap < bestGap)
                {
                    (best, bestGap) = (cursor, gap);
                }
                cursor = Math.Max(cursor, end);
            }
            offsets[i] = best >= 0 ? best : cursor;
            placed.Add(i);
            peak = Math.Max(peak, offsets[i] + size);
        }
        return new ArenaAssignment(offsets, peak);
    }

    public static long AlignUp(long bytes) => (bytes + Alignment - 1) / Alignment * Alignment;
}
