namespace Silica.Optimization.Ocr;

/// <summary>Small geometry over convex polygons: area, intersection (Sutherland–Hodgman), hull, minimum-area rectangle.</summary>
internal static class ConvexPolygon
{
    public static double SignedArea(IReadOnlyList<(double X, double Y)> p)
    {
        double a = 0;
        for (var i = 0; i < p.Count; i++)
        {
            var (x1, y1) = p[i];
            var (x2, y2) = p[(i + 1) % p.Count];
            a += (x1 * y2) - (x2 * y1);
        }
        return a / 2;
    }

    /// <summary>The intersection of two convex polygons (either winding); empty when they do not overlap.</summary>
    public static List<(double X, double Y)> Intersect(IReadOnlyList<(double X, double Y)> subject, IReadOnlyList<(double X, double Y)> clip)
    {
        var output = Oriented(subject);
        var c = Oriented(clip);
        for (var i = 0; i < c.Count && output.Count > 0; i++)
        {
            var a = c[i];
            var b = c[(i + 1) % c.Count];
            var input = output;
            output = new List<(double X, double Y)>(input.Count + 2);
            for (var j = 0; j < input.Count; j++)
            {
                var p = input[j];
                var q = input[(j + 1) % input.Count];
                var pIn = Cross(a, b, p) >= 0;
                var qIn = Cross(a, b, q) >= 0;
                if (pIn)
                {
                    output.Add(p);
                }
                if (pIn != qIn)
                {
                    output.Add(LineCross(a, b, p, q));
                }
            }
        }
        return output;
    }

    /// <summary>Convex hull (Andrew's monotone chain), counter-clockwise in a y-up frame.</summary>
    public static List<(double X, double Y)> Hull(List<(double X, double Y)> points)
    {
        points.Sort((p, q) => p.X != q.X ? p.X.CompareTo(q.X) : p.Y.CompareTo(q.Y));
        if (points.Count < 3)
        {
            return [.. points];
        }
        var hull = new List<(double X, double Y)>(points.Count + 1);
        foreach (var pass in new[] { 0, 1 })
        {
            var start = hull.Count;
            for (var k = 0; k < points.Count; k++)
            {
                var p = points[pass == 0 ? k : points.Count - 1 - k];
                while (hull.Count >= start + 2 && Cross(hull[^2], hull[^1], p) <= 0)
                {
                    hull.RemoveAt(hull.Count - 1);
                }
                hull.Add(p);
            }
            hull.RemoveAt(hull.Count - 1);
        }
        return hull;
    }

    /// <summary>
    /// The minimum-area enclosing rectangle of a convex hull (one side lies on a hull edge), as its centre,
    /// unit axis, and the side lengths along that axis and across it.
    /// </summary>
    public static ((double X, double Y) Center, (double X, double Y) Axis, double Length, double Breadth) MinAreaRectangle(List<(double X, double Y)> hull)
    {
        if (hull.Count == 1)
        {
            return (hull[0], (1, 0), 0, 0);
        }
        var best = double.MaxValue;
        var result = (Center: (0.0, 0.0), Axis: (1.0, 0.0), Length: 0.0, Breadth: 0.0);
        for (var i = 0; i < hull.Count; i++)
        {
            var (ax, ay) = hull[i];
            var (bx, by) = hull[(i + 1) % hull.Count];
            var len = Math.Sqrt(((bx - ax) * (bx - ax)) + ((by - ay) * (by - ay)));
            if (len == 0)
            {
                continue;
            }
            var u = ((bx - ax) / len, (by - ay) / len);
            var v = (-u.Item2, u.Item1);
            double minU = double.MaxValue, maxU = double.MinValue, minV = double.MaxValue, maxV = double.MinValue;
            foreach (var (px, py) in hull)
            {
                var pu = (px * u.Item1) + (py * u.Item2);
                var pv = (px * v.Item1) + (py * v.Item2);
                minU = Math.Min(minU, pu);
                maxU = Math.Max(maxU, pu);
                minV = Math.Min(minV, pv);
                maxV = Math.Max(maxV, pv);
            }
            var area = (maxU - minU) * (maxV - minV);
            if (area < best)
            {
                best = area;
                var cu = (minU + maxU) / 2;
                var cv = (minV + maxV) / 2;
                var center = ((cu * u.Item1) + (cv * v.Item1), (cu * u.Item2) + (cv * v.Item2));
                result = (center, u, maxU - minU, maxV - minV);
            }
        }
        return result;
    }

    private static List<(double X, double Y)> Oriented(IReadOnlyList<(double X, double Y)> p) =>
        SignedArea(p) >= 0 ? [.. p] : [.. p.Reverse()];

    private static double Cross((double X, double Y) a, (double X, double Y) b, (double X, double Y) p) =>
        ((b.X - a.X) * (p.Y - a.Y)) - ((b.Y - a.Y) * (p.X - a.X));

    private static (double X, double Y) LineCross((double X, double Y) a, (double X, double Y) b, (double X, double Y) p, (double X, double Y) q)
    {
        var d1 = Cross(a, b, p);
        var d2 = Cross(a, b, q);
        var t = d1 / (d1 - d2);
        return (p.X + (t * (q.X - p.X)), p.Y + (t * (q.Y - p.Y)));
    }
}
