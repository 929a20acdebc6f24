using System.Text;
using Silica.Advisor.Results;

namespace Silica.Advisor.Report;

/// <summary>
/// Chart 1: $ per 1M inferences (log) against p99 latency for every priced feasible deployment, coloured by
/// device class, with the bands as whiskers and the Pareto front ringed, labelled and joined by a step line.
/// </summary>
internal static class SvgScatter
{
    private const double Width = 1200;
    private const double Height = 520;
    private const double Left = 80;
    private const double Right = 1180;
    private const double Top = 60;
    private const double Bottom = 450;
    private const double LabelSize = 11;

    /// <summary>The figure for <paramref name="deployments"/> against the SLO <paramref name="sloP99Ms"/>.</summary>
    public static string Render(IReadOnlyList<Deployment> deployments, double sloP99Ms)
    {
        var feasible = deployments.Where(d => d.Feasible).ToList();
        var points = feasible
            .Where(d => d.CostPerMillion is { } c && Axis.IsPlottable(c, AxisScale.Log10) && c > 0 && double.IsFinite(d.P99Ms))
            .OrderBy(d => d.OnParetoFront)
            .ThenByDescending(d => d.CostPerMillion)
            .ToList();
        var unplotted = feasible.Count - points.Count;

        var caption = new StringBuilder()
            .Append("Each point is a feasible deployment at the required load: its $ per 1M inferences (log scale) ")
            .Append("against its p99 latency. Whiskers span the low–high band. Circles are predicted, diamonds measured ")
            .Append("on this machine. Ringed, labelled points are on the Pareto front (no other deployment is both cheaper ")
            .Append("and faster), joined by the step line.");
        if (unplotted > 0)
        {
            caption.Append(' ').Append(Html.Int(unplotted))
                .Append(unplotted == 1 ? " feasible deployment is" : " feasible deployments are")
                .Append(" not drawn: unpriced (e.g. the local machine) or without a finite cost.");
        }

        var basis = Figure.BasisOf(points.Select(p => p.Basis));
        const string title = "Cost against p99 latency";
        var svg = points.Count == 0 ? null : Draw(points, sloP99Ms);
        return Figure.Render("chart-cost-latency", title, basis, svg, caption.ToString(), "No priced feasible deployment to plot.");
    }

    private static string Draw(List<Deployment> points, double sloP99Ms)
    {
        var svg = new SvgWriter(Width, Height, "Scatter of $ per 1M inferences against p99 latency");
        var x = Axis.Fit(points.SelectMany(p => Costs(p)), AxisScale.Log10, Left, Right, 0.06);

        // The axis follows the central values and the SLO, not the slow ends of the bands: one saturated band end
        // (seconds of queueing) would flatten every point onto the floor. Longer whiskers are clipped at the top.
        var yTop = points.Max(p => p.P99Ms);
        var showSlo = double.IsFinite(sloP99Ms) && sloP99Ms > 0;
        if (showSlo)
        {
            yTop = Math.Max(yTop, sloP99Ms);
        }

        // Log scale: accelerators answer in about a millisecond, CPUs near the SLO; a linear axis piles the fast ones
        // (and their labels) onto the floor.
        var yValues = points.Select(p => p.P99Ms).Where(v => v > 0 && double.IsFinite(v)).ToList();
        if (showSlo)
        {
            yValues.Add(sloP99Ms);
        }
        var y = yValues.Count > 0 ? Axis.Fit(yValues, AxisScale.Log10, Bottom, Top, 0.08) : Axis.Linear(0, 1, Bottom, Top);
        svg.XAxis(x, Bottom, Top, v => "$" + Html.Tick(v), "$ per 1M inferences at the required load (log scale)");
        svg.YAxis(y, Left, Right, Html.Tick, "p99 latency at the required load (ms, log scale)", 24);

        if (showSlo)
        {
            var sy = y.Map(sloP99Ms);
            svg.Line(Left, sy, Right, sy, "slo");
            svg.Text(Right - 4, sy - 5, "p99 SLO " + Html.Ms(sloP99Ms), "slo-label", "end");
        }
        else if (double.IsFinite(sloP99Ms))
        {
            svg.Text(Right - 4, Top + 12, "p99 SLO " + Html.Ms(sloP99Ms) + " (above the chart)", "slo-label", "end");
        }

        var labels = new LabelPlacer(Left, Top, Right, Bottom, LabelSize);
        foreach (var p in points)
        {
            DrawWhiskers(svg, p, x, y, labels);
        }

        var front = points.Where(p => p.OnParetoFront).OrderBy(p => p.CostPerMillion).ThenBy(p => p.P99Ms).ToList();
        DrawFrontLine(svg, front, x, y, labels);
        foreach (var p in points)
        {
            var (px, py) = (x.Map(p.CostPerMillion!.Value), y.Map(p.P99Ms));
            DrawMarker(svg, p, px, py);
            labels.Avoid(px, py, p.OnParetoFront ? 7.5 : 6);
        }

        foreach (var p in front)
        {
            var (px, py) = (x.Map(p.CostPerMillion!.Value), y.Map(p.P99Ms));
            var text = "#" + Html.Int(p.Rank) + " " + p.InstanceId + " " + p.Precision;
            var spot = labels.Place(px, py, text);
            svg.Text(spot.X, spot.Y, text, "point-label", spot.Anchor);
        }

        DrawLegend(svg, points);
        return svg.Finish();
    }

    private static IEnumerable<double> Costs(Deployment d)
    {
        yield return d.CostPerMillion ?? double.NaN;
        yield return d.CostPerMillionLow ?? double.NaN;
        yield return d.CostPerMillionHigh ?? double.NaN;
    }

    private static double Finite(double? value, double fallback) => value is { } v && double.IsFinite(v) ? v : fallback;

    private static void DrawWhiskers(SvgWriter svg, Deployment p, Axis x, Axis y, LabelPlacer labels)
    {
        var cost = p.CostPerMillion!.Value;
        var (px, py) = (x.Map(cost), y.Map(p.P99Ms));
        var color = Palette.ForDeviceClass(p.DeviceClass);
        var lo = Finite(p.CostPerMillionLow, cost);
        var hi = Finite(p.CostPerMillionHigh, cost);
        if (Axis.IsPlottable(lo, AxisScale.Log10) && Math.Abs(hi - lo) > 0)
        {
            var (x0, x1) = (x.Map(Math.Min(lo, hi)), x.Map(Math.Max(lo, hi)));
            svg.Line(x0, py, x1, py, "whisker", color).Line(x0, py - 3, x0, py + 3, "whisker", color).Line(x1, py - 3, x1, py + 3, "whisker", color);
            labels.AvoidLine(x0, py - 2, x1, py + 2);
        }

        var ylo = Math.Max(Finite(p.P99LowMs, p.P99Ms), y.Min);
        var yhi = Math.Min(Finite(p.P99HighMs, p.P99Ms), y.Max);
        if (Math.Abs(yhi - ylo) > 0)
        {
            var (y0, y1) = (y.Map(Math.Min(ylo, yhi)), y.Map(Math.Max(ylo, yhi)));
            svg.Line(px, y0, px, y1, "whisker", color).Line(px - 3, y0, px + 3, y0, "whisker", color).Line(px - 3, y1, px + 3, y1, "whisker", color);
            labels.AvoidLine(px - 2, y0, px + 2, y1);
        }
    }

    private static void DrawFrontLine(SvgWriter svg, List<Deployment> front, Axis x, Axis y, LabelPlacer labels)
    {
        if (front.Count < 2)
        {
            return;
        }

        // A staircase: from each front point right to the next one's cost, then down to its latency.
        var d = new StringBuilder();
        for (var i = 0; i < front.Count; i++)
        {
            var (px, py) = (x.Map(front[i].CostPerMillion!.Value), y.Map(front[i].P99Ms));
            d.Append(i == 0 ? "M" : " H").Append(SvgWriter.N(px));
            d.Append(i == 0 ? " " : " V").Append(SvgWriter.N(py));
            if (i > 0)
            {
                var (qx, qy) = (x.Map(front[i - 1].CostPerMillion!.Value), y.Map(front[i - 1].P99Ms));
                labels.AvoidLine(qx, qy, px, qy);
                labels.AvoidLine(px, qy, px, py);
            }
        }

        svg.Path(d.ToString(), "front-line", "none");
    }

    private static void DrawMarker(SvgWriter svg, Deployment p, double px, double py)
    {
        var color = Palette.ForDeviceClass(p.DeviceClass);
        var title = Tooltip(p);
        svg.Group(p.OnParetoFront ? "point pareto" : "point", title);
        var r = p.OnParetoFront ? 6.5 : 5;
        if (Figure.IsMeasured(p.Basis))
        {
            var s = r * 1.35;
            svg.Path("M" + SvgWriter.N(px) + " " + SvgWriter.N(py - s) + " L" + SvgWriter.N(px + s) + " " + SvgWriter.N(py)
                + " L" + SvgWriter.N(px) + " " + SvgWriter.N(py + s) + " L" + SvgWriter.N(px - s) + " " + SvgWriter.N(py) + " Z",
                "marker", color);
        }
        else
        {
            svg.Circle(px, py, r, "marker", color);
        }

        svg.EndGroup();
    }

    private static string Tooltip(Deployment p)
    {
        var cost = p.CostPerMillion is { } c ? "$" + Html.Sig(c) : Html.Unpriced;
        var band = p.CostPerMillionLow is { } lo && p.CostPerMillionHigh is { } hi ? " ($" + Html.Band(lo, hi) + ")" : string.Empty;
        return "#" + Html.Int(p.Rank) + " " + p.InstanceId + " (" + p.Provider + ") · " + p.DeviceId + " × " + Html.Int(p.DeviceCount)
            + " · " + p.Precision + " · batch ≤ " + Html.Int(p.MaxBatch) + ", wait " + Html.Ms(p.QueueDelayMs)
            + "\n" + cost + " per 1M inferences" + band
            + "\np99 " + Html.Ms(p.P99Ms) + " (" + Html.Band(p.P99LowMs, p.P99HighMs) + " ms)"
            + "\n" + p.Basis + ": " + p.BasisDetail
            + (p.OnParetoFront ? "\nOn the Pareto front" : string.Empty);
    }

    private static void DrawLegend(SvgWriter svg, List<Deployment> points)
    {
        var lx = Left;
        const double ly = 26;
        var classes = points.Select(p => p.DeviceClass.ToLowerInvariant()).Distinct()
            .OrderBy(c => Palette.DeviceClasses.IndexOf(c) is var i && i < 0 ? int.MaxValue : i)
            .ThenBy(c => c, StringComparer.Ordinal)
            .ToList();
        foreach (var c in classes)
        {
            svg.Circle(lx + 5, ly - 4, 5, "marker", Palette.ForDeviceClass(c));
            svg.Text(lx + 14, ly, c, "legend");
            lx += 14 + SvgWriter.TextWidth(c, 12) + 16;
        }

        lx += 12;
        if (points.Any(p => !Figure.IsMeasured(p.Basis)))
        {
            svg.Circle(lx + 5, ly - 4, 5, "marker legend-neutral");
            svg.Text(lx + 14, ly, "predicted", "legend");
            lx += 14 + SvgWriter.TextWidth("predicted", 12) + 18;
        }

        if (points.Any(p => Figure.IsMeasured(p.Basis)))
        {
            svg.Path("M" + SvgWriter.N(lx + 5) + " " + SvgWriter.N(ly - 11) + " l6.5 6.5 l-6.5 6.5 l-6.5 -6.5 Z", "marker legend-neutral");
            svg.Text(lx + 16, ly, "measured", "legend");
            lx += 16 + SvgWriter.TextWidth("measured", 12) + 18;
        }

        if (!points.Any(p => p.OnParetoFront))
        {
            return;
        }

        lx += 6;
        svg.Line(lx, ly - 4, lx + 26, ly - 4, "front-line");
        svg.Circle(lx + 13, ly - 4, 6.5, "marker pareto-legend legend-neutral");
        svg.Text(lx + 34, ly, "Pareto front", "legend");
    }

    private static int IndexOf(this IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }
}
