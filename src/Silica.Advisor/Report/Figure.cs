using System.Text;

namespace Silica.Advisor.Report;

/// <summary>Wraps a chart in a captioned <c>figure</c> that says what its figures are based on.</summary>
internal static class Figure
{
    /// <summary>Whether a basis string says the figure was timed here.</summary>
    public static bool IsMeasured(string? basis) => string.Equals(basis, "measured", StringComparison.OrdinalIgnoreCase);

    /// <summary>"measured", "predicted" or "measured and predicted", for a set of bases.</summary>
    public static string BasisOf(IEnumerable<string?> bases)
    {
        var list = bases.ToList();
        var measured = list.Count(IsMeasured);
        return measured == 0 ? "predicted" : measured == list.Count ? "measured" : "measured and predicted";
    }

    /// <summary>
    /// A figure with a title, a basis badge, the chart and an explanatory caption; with no chart, just the title
    /// and <paramref name="nothingToPlot"/>.
    /// </summary>
    public static string Render(string id, string title, string basis, string? svg, string caption, string nothingToPlot)
    {
        var sb = new StringBuilder();
        sb.Append("<figure class=\"chart-figure\" id=\"").Append(Html.Escape(id)).Append("\">\n");
        sb.Append("<div class=\"figure-head\"><h3>").Append(Html.Escape(title)).Append("</h3>");
        if (svg is null)
        {
            sb.Append("</div>\n<p class=\"empty\">").Append(Html.Escape(nothingToPlot)).Append("</p>\n</figure>\n");
            return sb.ToString();
        }

        sb.Append(' ').Append(BasisBadge(basis)).Append("</div>\n").Append(svg);
        sb.Append("<figcaption>").Append(Html.Escape(caption)).Append("</figcaption>\n</figure>\n");
        return sb.ToString();
    }

    /// <summary>A small coloured badge: green for measured, blue for predicted, both for mixed.</summary>
    public static string BasisBadge(string basis, string? tooltip = null)
    {
        var cssClass = IsMeasured(basis) ? "badge measured"
            : string.Equals(basis, "predicted", StringComparison.OrdinalIgnoreCase) ? "badge predicted"
            : "badge mixed";
        var title = tooltip is null ? string.Empty : " title=\"" + Html.Escape(tooltip) + "\"";
        return "<span class=\"" + cssClass + "\"" + title + ">" + Html.Escape(basis) + "</span>";
    }
}
