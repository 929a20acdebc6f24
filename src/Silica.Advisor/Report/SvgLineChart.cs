using System.Text;
using Silica.Advisor.Results;

namespace Silica.Advisor.Report;

/// <summary>
/// Chart 2: instance throughput (log) against batch size (log2), one line per target curve: solid where
/// measured, dashed where predicted, shaded over the band implied by the latency band.
/// </summary>
internal static class SvgLineChart
{
    private const double Width = 1200;
    private const double Height = 470;
    private const double Left = 84;
    private const double Right = 850;
    private const double Top = 24;
    private const double Bottom = 400;
    private const double LegendX = 884;
    private const int LegendChars = 42;

    /// <summary>The figure for the curves <see cref="TargetSelection.Curves"/> picks from <paramref name="results"/>.</summary>
    public static string Render(CompareResults results)
    {
        var chosen = TargetSelection.Curves(results);
        var series = chosen.Select(c => (Curve: c, Points: Plottable(c))).Where(s => s.Points.Count > 0).ToList();
        var basis = Figure.BasisOf(series.Select(s => s.Curve.Basis));

        var caption = new StringBuilder()
            .Append("Samples per second one instance serves with every replica busy, against the batch size. ")
            .Append("Solid lines are measured on this machine, dashed lines predicted; shading spans the throughput ")
            .Append("implied by the latency band.");
        var omitted = results.Curves.Count - chosen.Count;
        if (omitted > 0)
        {
            caption.Append(' ').Append(Html.Int(omitted)).Append(omitted == 1 ? " more curve is" : " more curves are")
                .Append(" not drawn; shown are the measured ones and those of the best-ranked deployments.");
        }

        const string title = "Throughput against batch size";
        var svg = series.Count == 0 ? null : Draw(series);
        return Figure.Render("chart-throughput", title, basis, svg, caption.ToString(), "No batch curve to plot.");
    }

    private static List<BandPoint> Plottable(TargetCurve curve) =>
        curve.Points
            .Where(p => p.Batch > 0 && Axis.IsPlottable(p.InstanceSamplesPerSecond, AxisScale.Log10))
            .OrderBy(p => p.Batch)
            .Select(p => new BandPoint(p, Band(p)))
            .ToList();

    // Throughput is replicas x batch / latency, so the latency band maps onto a throughput band inversely.
    private static (double Low, double High) Band(CurvePoint p)
    {
        var t = p.InstanceSamplesPerSecond;
        var low = p.LatencyHighMs > 0 && p.LatencyMs > 0 ? t * p.LatencyMs / p.LatencyHighMs : t;
        var high = p.LatencyLowMs > 0 && p.LatencyMs > 0 ? t * p.LatencyMs / p.LatencyLowMs : t;
        low = Axis.IsPlottable(low, AxisScale.Log10) ? Math.Min(low, t) : t;
        high = Axis.IsPlottable(high, AxisScale.Log10) ? Math.Max(high, t) : t;
        return (low, high);
    }

    private static string Draw(List<(TargetCurve Curve, List<BandPoint> Points)> series)
    {
        var svg = new SvgWriter(Width, Height, "Line chart of instance throughput against batch size");
        var x = Axis.Fit(series.SelectMany(s => s.Points.Select(p => (double)p.Point.Batch)), AxisScale.Log2, Left, Right, 0.04);
        var y = Axis.Fit(series.SelectMany(s => s.Points.SelectMany(p => new[] { p.Band.Low, p.Band.High })), AxisScale.Log10, Bottom, Top, 0.05);
        svg.XAxis(x, Bottom, Top, Html.Tick, "batch size (samples per run, log₂ scale)");
        svg.YAxis(y, Left, Right, Html.SiTick, "instance throughput (samples/s, log scale)", 22);

        for (var i = 0; i < series.Count; i++)
        {
            DrawBand(svg, series[i].Points, x, y, Palette.ForSeries(i));
        }

        for (var i = 0; i < series.Count; i++)
        {
            DrawLine(svg, series[i].Curve, series[i].Points, x, y, Palette.ForSeries(i));
        }

        DrawLegend(svg, series.Select(s => s.Curve).ToList());
        return svg.Finish();
    }

    private static void DrawBand(SvgWriter svg, List<BandPoint> points, Axis x, Axis y, string color)
    {
        if (points.Count < 2 || points.All(p => p.Band.Low == p.Band.High))
        {
            return;
        }

        var d = new StringBuilder();
        for (var i = 0; i < points.Count; i++)
        {
            d.Append(i == 0 ? "M" : " L").Append(SvgWriter.N(x.Map(points[i].Point.Batch))).Append(' ')
                .Append(SvgWriter.N(y.Map(points[i].Band.High)));
        }

        for (var i = points.Count - 1; i >= 0; i--)
        {
            d.Append(" L").Append(SvgWriter.N(x.Map(points[i].Point.Batch))).Append(' ')
                .Append(SvgWriter.N(y.Map(points[i].Band.Low)));
        }

        svg.Path(d.Append(" Z").ToString(), "band", color);
    }

    private static void DrawLine(SvgWriter svg, TargetCurve curve, List<BandPoint> points, Axis x, Axis y, string color)
    {
        var measured = Figure.IsMeasured(curve.Basis);
        var name = Name(curve);
        svg.Group(measured ? "series measured" : "series predicted", name);
        if (points.Count > 1)
        {
            var d = new StringBuilder();
            for (var i = 0; i < points.Count; i++)
            {
                d.Append(i == 0 ? "M" : " L").Append(SvgWriter.N(x.Map(points[i].Point.Batch))).Append(' ')
                    .Append(SvgWriter.N(y.Map(points[i].Point.InstanceSamplesPerSecond)));
            }

            svg.Path(d.ToString(), measured ? "curve" : "curve dashed", "none", color);
        }

        foreach (var p in points)
        {
            var c = p.Point;
            var tip = name + "\nbatch " + Html.Int(c.Batch) + ": " + Html.Si(c.InstanceSamplesPerSecond) + " samples/s ("
                + Html.Si(p.Band.Low) + "–" + Html.Si(p.Band.High) + ")\nlatency " + Html.Ms(c.LatencyMs)
                + " (" + Html.Band(c.LatencyLowMs, c.LatencyHighMs) + " ms)";
            svg.Group("dot", tip).Circle(x.Map(c.Batch), y.Map(c.InstanceSamplesPerSecond), 3.2, "curve-dot", color).EndGroup();
        }

        svg.EndGroup();
    }

    private static void DrawLegend(SvgWriter svg, List<TargetCurve> curves)
    {
        var ly = Top + 6;
        svg.Text(LegendX, ly, "target · precision · basis", "legend-title");
        ly += 22;
        for (var i = 0; i < curves.Count; i++)
        {
            var curve = curves[i];
            var color = Palette.ForSeries(i);
            var measured = Figure.IsMeasured(curve.Basis);
            svg.Path("M" + SvgWriter.N(LegendX) + " " + SvgWriter.N(ly - 4) + " H" + SvgWriter.N(LegendX + 28),
                measured ? "curve" : "curve dashed", "none", color);
            svg.Circle(LegendX + 14, ly - 4, 3.2, "curve-dot", color);
            var label = Name(curve);
            if (label.Length > LegendChars)
            {
                label = label[..(LegendChars - 1)] + "…";
            }

            svg.Group(title: Name(curve)).Text(LegendX + 36, ly, label, measured ? "legend measured" : "legend").EndGroup();
            ly += 22;
        }
    }

    private static string Name(TargetCurve curve) => curve.InstanceId + " · " + curve.Precision + " · " + curve.Basis;

    private readonly record struct BandPoint(CurvePoint Point, (double Low, double High) Band);
}
