namespace Silica.Advisor.Report;

/// <summary>A text label's chosen position: baseline origin and anchor.</summary>
/// <param name="X">Anchor x.</param>
/// <param name="Y">Baseline y.</param>
/// <param name="Anchor"><c>start</c> or <c>end</c>.</param>
internal readonly record struct PlacedLabel(double X, double Y, string Anchor);

/// <summary>
/// Places point labels greedily: for each label, the first of eight spots around its point that overlaps no
/// earlier label, no registered marker and stays inside the plot; failing that, the spot that overlaps least.
/// </summary>
internal sealed class LabelPlacer
{
    private readonly List<Box> _occupied = [];
    private readonly Box _bounds;
    private readonly double _fontSize;

    /// <summary>A placer for labels of <paramref name="fontSize"/> inside the given plot rectangle.</summary>
    public LabelPlacer(double left, double top, double right, double bottom, double fontSize)
    {
        _bounds = new Box(left, top, right, bottom);
        _fontSize = fontSize;
    }

    /// <summary>Marks a marker of radius <paramref name="r"/> at (x, y) as space labels must avoid.</summary>
    public void Avoid(double x, double y, double r) => _occupied.Add(new Box(x - r, y - r, x + r, y + r));

    /// <summary>Marks a horizontal or vertical line from (x1, y1) to (x2, y2) as space labels must avoid.</summary>
    public void AvoidLine(double x1, double y1, double x2, double y2) =>
        _occupied.Add(new Box(Math.Min(x1, x2) - 1.5, Math.Min(y1, y2) - 1.5, Math.Max(x1, x2) + 1.5, Math.Max(y1, y2) + 1.5));

    /// <summary>Chooses where the label <paramref name="text"/> of the point (x, y) goes and reserves that space.</summary>
    public PlacedLabel Place(double x, double y, string text, double gap = 8)
    {
        // Point labels are bold, about a tenth wider than the estimate for regular text.
        var w = SvgWriter.TextWidth(text, _fontSize) * 1.1;
        var h = _fontSize;
        var ascent = h * 0.8;
        (double Dx, double Dy, bool End)[] spots =
        [
            (gap, ascent / 2, false),
            (-gap, ascent / 2, true),
            (gap * 0.7, -gap * 0.9, false),
            (gap * 0.7, gap * 0.9 + ascent, false),
            (-gap * 0.7, -gap * 0.9, true),
            (-gap * 0.7, gap * 0.9 + ascent, true),
            (gap, -gap * 2.2, false),
            (gap, gap * 2.2 + ascent, false),
        ];

        var best = default(PlacedLabel);
        var bestBox = default(Box);
        var bestCost = double.PositiveInfinity;
        foreach (var (dx, dy, end) in spots)
        {
            var lx = x + dx;
            var ly = y + dy;
            var box = end ? new Box(lx - w, ly - ascent, lx, ly + (h - ascent)) : new Box(lx, ly - ascent, lx + w, ly + (h - ascent));
            var cost = _occupied.Sum(o => o.Overlap(box)) + (box.Area - _bounds.Overlap(box)) * 4;
            if (cost < bestCost)
            {
                (best, bestBox, bestCost) = (new PlacedLabel(lx, ly, end ? "end" : "start"), box, cost);
                if (cost <= 0)
                {
                    break;
                }
            }
        }

        _occupied.Add(bestBox);
        return best;
    }

    private readonly record struct Box(double Left, double Top, double Right, double Bottom)
    {
        public double Area => (Right - Left) * (Bottom - Top);

        public double Overlap(Box other)
        {
            var w = Math.Min(Right, other.Right) - Math.Max(Left, other.Left);
            var h = Math.Min(Bottom, other.Bottom) - Math.Max(Top, other.Top);
            return w > 0 && h > 0 ? w * h : 0;
        }
    }
}
