namespace Silica.Optimization.Ocr;

/// <summary>8-connected regions of a thresholded map, each as its per-row leftmost and rightmost pixels (enough for its hull).</summary>
internal static class ConnectedRegions
{
    public sealed record Region(int FirstIndex, int PixelCount, List<(double X, double Y)> Outline);

    public static List<Region> Find(ReadOnlySpan<float> map, int width, int height, float threshold)
    {
        var label = new int[map.Length];
        var regions = new List<Region>();
        var stack = new Stack<int>();
        for (var start = 0; start < map.Length; start++)
        {
            if (label[start] != 0 || map[start] <= threshold)
            {
                continue;
            }
            var id = regions.Count + 1;
            var rows = new Dictionary<int, (int Min, int Max)>();
            var count = 0;
            label[start] = id;
            stack.Push(start);
            while (stack.Count > 0)
            {
                var p = stack.Pop();
                count++;
                int x = p % width, y = p / width;
                rows[y] = rows.TryGetValue(y, out var r) ? (Math.Min(r.Min, x), Math.Max(r.Max, x)) : (x, x);
                for (var dy = -1; dy <= 1; dy++)
                {
                    var ny = y + dy;
                    if (ny < 0 || ny >= height)
                    {
                        continue;
                    }
                    for (var dx = -1; dx <= 1; dx++)
                    {
                        var nx = x + dx;
                        if (nx < 0 || nx >= width)
                        {
                            continue;
                        }
                        var q = (ny * width) + nx;
                        if (label[q] == 0 && map[q] > threshold)
                        {
                            label[q] = id;
                            stack.Push(q);
                        }
                    }
                }
            }
            var outline = new List<(double X, double Y)>(rows.Count * 2);
            foreach (var (y, (min, max)) in rows)
            {
                outline.Add((min, y));
                if (max != min)
                {
                    outline.Add((max, y));
                }
            }
            regions.Add(new Region(start, count, outline));
        }
        return regions;
    }
}
