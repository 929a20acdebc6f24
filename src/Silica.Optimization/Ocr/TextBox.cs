namespace Silica.Optimization.Ocr;

/// <summary>
/// A text region as a quadrilateral, corners clockwise from the top-left (PaddleOCR's order), in image pixels.
/// Detection gives rotated rectangles; rendered ground truth gives axis-aligned ones.
/// </summary>
/// <param name="Corners">Four corners: top-left, top-right, bottom-right, bottom-left.</param>
/// <param name="Score">The detector's mean probability inside the box (1 for ground truth).</param>
public sealed record TextBox(IReadOnlyList<(double X, double Y)> Corners, double Score)
{
    /// <summary>An axis-aligned box.</summary>
    public static TextBox FromRectangle(double left, double top, double right, double bottom, double score) =>
        new([(left, top), (right, top), (right, bottom), (left, bottom)], score);

    /// <summary>Topmost corner's y.</summary>
    public double Top => Corners.Min(c => c.Y);

    /// <summary>Lowest corner's y.</summary>
    public double Bottom => Corners.Max(c => c.Y);

    /// <summary>Leftmost corner's x.</summary>
    public double Left => Corners.Min(c => c.X);

    /// <summary>Rightmost corner's x.</summary>
    public double Right => Corners.Max(c => c.X);

    /// <summary>Vertical centre.</summary>
    public double CenterY => Corners.Average(c => c.Y);

    /// <summary>Area (shoelace formula).</summary>
    public double Area => Math.Abs(ConvexPolygon.SignedArea(Corners));

    /// <summary>Intersection over union with another box (both convex).</summary>
    public double IoU(TextBox other)
    {
        ArgumentNullException.ThrowIfNull(other);
        var inter = Math.Abs(ConvexPolygon.SignedArea(ConvexPolygon.Intersect(Corners, other.Corners)));
        var union = Area + other.Area - inter;
        return union <= 0 ? 0 : inter / union;
    }

    /// <summary>The box with every coordinate multiplied (from a resized image's pixels back to the original's).</summary>
    public TextBox Scale(double sx, double sy) => new([.. Corners.Select(c => (c.X * sx, c.Y * sy))], Score);

    /// <summary>Corners as <c>(x,y)</c> pairs.</summary>
    public override string ToString() => string.Join(" ", Corners.Select(c => $"({c.X:F1},{c.Y:F1})")) + $" score {Score:F2}";
}
