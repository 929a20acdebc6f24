using System.Text;
using Silica.Advisor.Results;

namespace Silica.Advisor.Report;

/// <summary>
/// Chart 3: where the time goes. One horizontal bar per breakdown, split by operator class and normalised to
/// 100%, with each segment's milliseconds in its tooltip and the bar's total at its end.
/// </summary>
internal static class SvgBarChart
{
    private const double Width = 1200;
    private const double Left = 300;
    private const double Right = 1100;
    private const double RowHeight = 30;
    private const double BarHeight = 20;
    private const double LegendRowHeight = 22;
    private const int LabelChars = 40;
    private const string OverheadClass = "overhead";

    /// <summary>The figure for the breakdowns <see cref="TargetSelection.Breakdowns"/> picks from <paramref name="results"/>.</summary>
    public static string Render(CompareResults results)
    {
        var chosen = TargetSelection.Breakdowns(results);
        var caption = new StringBuilder()
            .Append("Predicted share of one run's time per operator class, at the batch size shown; ")
            .Append("overhead is the per-kernel launch cost. Hover a segment for its milliseconds; the total per run is at the right.");
        var omitted = results.Breakdowns.Count - chosen.Count;
        if (omitted > 0)
        {
            caption.Append(' ').Append(Html.Int(omitted)).Append(omitted == 1 ? " more breakdown is" : " more breakdowns are")
                .Append(" not drawn; shown are those of the best-ranked deployments.");
        }

        const string title = "Where the time goes";
        var svg = chosen.Count == 0 ? null : Draw(chosen);
        return Figure.Render("chart-breakdown", title, "predicted", svg, caption.ToString(), "No time breakdown to plot.");
    }

    /// <summary>Operator classes by total share across <paramref name="breakdowns"/>, largest first, overhead last.</summary>
    internal static List<string> OpClassOrder(IReadOnlyList<TimeBreakdown> breakdowns)
    {
        var share = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var b in breakdowns)
        {
            var total = Total(b);
            foreach (var (op, ms) in b.MsByOpClass)
            {
                share[op] = share.GetValueOrDefault(op) + (total > 0 ? Clean(ms) / total : 0);
            }
        }

        return share
            .OrderBy(kv => kv.Key == OverheadClass)
            .ThenByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Key)
            .ToList();
    }

    private static double Clean(double ms) => double.IsFinite(ms) && ms > 0 ? ms : 0;

    private static double Total(TimeBreakdown b) => b.MsByOpClass.Values.Sum(Clean);

    private static string Draw(IReadOnlyList<TimeBreakdown> breakdowns)
    {
        var ops = OpClassOrder(breakdowns);
        var colors = new Dictionary<string, string>(StringComparer.Ordinal);
        var next = 0;
        foreach (var op in ops)
        {
            colors[op] = op == OverheadClass ? Palette.Overhead : Palette.ForSeries(next++);
        }

        var legendRows = LegendRows(ops);
        var top = 14 + (legendRows.Count * LegendRowHeight) + 12;
        var bottom = top + (breakdowns.Count * RowHeight);
        var height = bottom + 56;
        var svg = new SvgWriter(Width, height, "Stacked bars of predicted time per operator class");

        for (var r = 0; r < legendRows.Count; r++)
        {
            foreach (var (op, lx) in legendRows[r])
            {
                var ly = 14 + (r * LegendRowHeight) + 12;
                svg.Rect(lx, ly - 10, 12, 12, "swatch", colors[op]);
                svg.Text(lx + 17, ly, op, "legend");
            }
        }

        var x = Axis.Linear(0, 100, Left, Right);
        svg.XAxis(x, bottom, top, v => Html.Tick(v) + "%", "share of one run's predicted time (%)");

        for (var i = 0; i < breakdowns.Count; i++)
        {
            DrawBar(svg, breakdowns[i], ops, colors, top + (i * RowHeight) + ((RowHeight - BarHeight) / 2));
        }

        return svg.Finish();
    }

    private static void DrawBar(SvgWriter svg, TimeBreakdown b, List<string> ops, Dictionary<string, string> colors, double y)
    {
        var name = b.InstanceId + " · " + b.Precision + " · batch " + Html.Int(b.Batch);
        var label = name.Length > LabelChars ? name[..(LabelChars - 1)] + "…" : name;
        svg.Group(title: name).Text(Left - 10, y + 14, label, "bar-label", "end").EndGroup();

        var total = Total(b);
        if (!(total > 0))
        {
            svg.Rect(Left, y, Right - Left, BarHeight, "bar-empty");
            svg.Text(Left + 8, y + 14, "no time recorded", "bar-note");
            return;
        }

        var x = Left;
        foreach (var op in ops)
        {
            var ms = Clean(b.MsByOpClass.GetValueOrDefault(op));
            if (ms <= 0)
            {
                continue;
            }

            var share = ms / total;
            var w = share * (Right - Left);
            var tip = op + ": " + Html.Ms(ms) + " (" + Html.Sig(share * 100, 3) + "% of " + Html.Ms(total) + ")";
            svg.Rect(x, y, w, BarHeight, "segment", colors[op], tip);
            var text = Html.Sig(share * 100, 2) + "%";
            if (w >= SvgWriter.TextWidth(text, 11) + 8)
            {
                svg.Text(x + (w / 2), y + 14, text, Palette.IsLight(colors[op]) ? "segment-label dark" : "segment-label", "middle");
            }

            x += w;
        }

        svg.Text(Right + 8, y + 14, Html.Ms(total), "bar-total");
    }

    private static List<List<(string Op, double X)>> LegendRows(List<string> ops)
    {
        var rows = new List<List<(string, double)>> { new() };
        var lx = Left;
        foreach (var op in ops)
        {
            var w = 17 + SvgWriter.TextWidth(op, 12) + 20;
            if (lx + w > Width - 10 && rows[^1].Count > 0)
            {
                rows.Add([]);
                lx = Left;
            }

            rows[^1].Add((op, lx));
            lx += w;
        }

        return rows;
    }
}
