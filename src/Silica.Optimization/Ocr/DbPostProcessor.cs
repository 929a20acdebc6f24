namespace Silica.Optimization.Ocr;

/// <summary>
/// Differentiable-binarization post-processing (PaddleOCR's <c>DBPostProcess</c>, <c>score_mode: fast</c>): threshold the
/// probability map, take each connected region's minimum-area rectangle, keep it when the mean probability inside
/// reaches <see cref="BoxThreshold"/>, grow it by area × <see cref="UnclipRatio"/> / perimeter on every side (the
/// polygon offset PaddleOCR does with pyclipper, exact for a rectangle up to its rounded corners), and scale it to
/// the original image.
/// </summary>
public sealed record DbPostProcessor
{
    /// <summary>Pixels above this probability are text.</summary>
    public double Threshold { get; init; } = 0.3;

    /// <summary>Boxes whose mean probability is below this are dropped.</summary>
    public double BoxThreshold { get; init; } = 0.6;

    /// <summary>How much a box grows from the shrunk text kernel the model predicts.</summary>
    public double UnclipRatio { get; init; } = 1.5;

    /// <summary>Regions beyond this many are ignored (largest kept first).</summary>
    public int MaxCandidates { get; init; } = 1000;

    /// <summary>Boxes with a shorter side under this many map pixels are dropped (before growing; +2 after).</summary>
    public int MinSize { get; init; } = 3;

    /// <summary>Finds the text boxes in a probability map.</summary>
    /// <param name="probabilities">The map, row-major, <paramref name="mapWidth"/> × <paramref name="mapHeight"/>.</param>
    /// <param name="mapWidth">Map width (the detector input's width).</param>
    /// <param name="mapHeight">Map height.</param>
    /// <param name="imageWidth">The original image's width the boxes are scaled to.</param>
    /// <param name="imageHeight">The original image's height.</param>
    public IReadOnlyList<TextBox> FindBoxes(ReadOnlySpan<float> probabilities, int mapWidth, int mapHeight, int imageWidth, int imageHeight)
    {
        if (probabilities.Length != mapWidth * mapHeight)
        {
            throw new ArgumentException($"{probabilities.Length} probabilities do not fill a {mapWidth}x{mapHeight} map", nameof(probabilities));
        }
        var regions = ConnectedRegions.Find(probabilities, mapWidth, mapHeight, (float)Threshold);
        var boxes = new List<TextBox>();
        foreach (var region in regions.OrderByDescending(r => r.PixelCount).Take(MaxCandidates).OrderBy(r => r.FirstIndex))
        {
            var rect = ConvexPolygon.MinAreaRectangle(ConvexPolygon.Hull(region.Outline));
            if (Math.Min(rect.Length, rect.Breadth) < MinSize)
            {
                continue;
            }
            var corners = Corners(rect.Center, rect.Axis, rect.Length, rect.Breadth);
            var score = MeanInside(probabilities, mapWidth, mapHeight, corners);
            if (score < BoxThreshold)
            {
                continue;
            }
            var area = rect.Length * rect.Breadth;
            var grow = area * UnclipRatio / (2 * (rect.Length + rect.Breadth));
            var length = rect.Length + (2 * grow);
            var breadth = rect.Breadth + (2 * grow);
            if (Math.Min(length, breadth) < MinSize + 2)
            {
                continue;
            }
            var grown = Corners(rect.Center, rect.Axis, length, breadth);
            boxes.Add(new TextBox(
                [.. grown.Select(c => (
                    Math.Clamp(Math.Round(c.X / mapWidth * imageWidth), 0, imageWidth),
                    Math.Clamp(Math.Round(c.Y / mapHeight * imageHeight), 0, imageHeight)))],
                score));
        }
        return boxes;
    }

    /// <summary>Finds the boxes in a detector output [1, 1, h, w] (float, float16 or bfloat16).</summary>
    public IReadOnlyList<TextBox> FindBoxes(Silica.Runtime.Tensors.Tensor map, int imageWidth, int imageHeight)
    {
        ArgumentNullException.ThrowIfNull(map);
        if (map.Rank != 4 || map.Shape[0] != 1 || map.Shape[1] != 1 || !OutputValues.IsFloating(map.ElementType))
        {
            throw new ArgumentException($"a detector output is float[1,1,h,w], not {map}", nameof(map));
        }
        return FindBoxes(OutputValues.AsFloats(map), (int)map.Shape[3], (int)map.Shape[2], imageWidth, imageHeight);
    }

    // PaddleOCR's get_mini_boxes order: of the two leftmost corners the upper is top-left, of the two rightmost the
    // upper is top-right.
    private static (double X, double Y)[] Corners((double X, double Y) c, (double X, double Y) u, double length, double breadth)
    {
        var v = (X: -u.Y, Y: u.X);
        var pts = new (double X, double Y)[4];
        var k = 0;
        foreach (var (su, sv) in new[] { (-1, -1), (1, -1), (1, 1), (-1, 1) })
        {
            pts[k++] = (c.X + (su * length / 2 * u.X) + (sv * breadth / 2 * v.X), c.Y + (su * length / 2 * u.Y) + (sv * breadth / 2 * v.Y));
        }
        var byX = pts.OrderBy(p => p.X).ToArray();
        var (tl, bl) = byX[0].Y <= byX[1].Y ? (byX[0], byX[1]) : (byX[1], byX[0]);
        var (tr, br) = byX[2].Y <= byX[3].Y ? (byX[2], byX[3]) : (byX[3], byX[2]);
        return [tl, tr, br, bl];
    }

    // Mean probability over the map pixels whose centres lie in the box (box_score_fast fills the polygon in its
    // bounding rectangle and averages under the mask).
    private static double MeanInside(ReadOnlySpan<float> map, int width, int height, (double X, double Y)[] box)
    {
        var x0 = Math.Clamp((int)Math.Floor(box.Min(p => p.X)), 0, width - 1);
        var x1 = Math.Clamp((int)Math.Ceiling(box.Max(p => p.X)), 0, width - 1);
        var y0 = Math.Clamp((int)Math.Floor(box.Min(p => p.Y)), 0, height - 1);
        var y1 = Math.Clamp((int)Math.Ceiling(box.Max(p => p.Y)), 0, height - 1);
        double sum = 0;
        var n = 0;
        for (var y = y0; y <= y1; y++)
        {
            for (var x = x0; x <= x1; x++)
            {
                if (Inside(box, x, y))
                {
                    sum += map[(y * width) + x];
                    n++;
                }
            }
        }
        return n == 0 ? 0 : sum / n;
    }

    private static bool Inside((double X, double Y)[] box, double x, double y)
    {
        // Half a pixel of slack, as a filled polygon includes its boundary pixels.
        for (var i = 0; i < 4; i++)
        {
            var a = box[i];
            var b = box[(i + 1) % 4];
            var len = Math.Sqrt(((b.X - a.X) * (b.X - a.X)) + ((b.Y - a.Y) * (b.Y - a.Y)));
            var cross = ((b.X - a.X) * (y - a.Y)) - ((b.Y - a.Y) * (x - a.X));
            if (len > 0 && cross / len < -0.5)
            {
                return false;
            }
        }
        return true;
    }
}
