using System.Text;
using Silica.Advisor.Results;

namespace Silica.Advisor.Report;

/// <summary>The verdicts on the user's <c>--claim</c> statements, each with its ratio, band and threshold.</summary>
internal static class ClaimSection
{
    /// <summary>The claims table, or an empty string when no claim was checked.</summary>
    public static string Render(IReadOnlyList<ClaimVerdict> claims)
    {
        if (claims.Count == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        sb.Append("<section id=\"claims\">\n<h2>Claims</h2>\n<div class=\"table-wrap\"><table class=\"claims\">\n<thead><tr>")
            .Append("<th>Claim</th><th>Verdict</th><th title=\"Central value (low–high band)\">Ratio</th>")
            .Append("<th title=\"The ratio the claim asserts\">Claimed</th><th>Why</th></tr></thead>\n<tbody>\n");
        foreach (var c in claims)
        {
            sb.Append("<tr><td class=\"claim\">").Append(Html.Escape(c.Claim)).Append("</td>")
                .Append("<td>").Append(Verdict(c.Verdict)).Append("</td>")
                .Append("<td class=\"num\">").Append(Html.Sig(c.Ratio))
                .Append("<span class=\"band\">").Append(Html.Band(c.RatioLow, c.RatioHigh)).Append("</span></td>")
                .Append("<td class=\"num\">").Append(Html.Sig(c.Threshold)).Append("</td>")
                .Append("<td>").Append(Html.Escape(c.Explanation)).Append("</td></tr>\n");
        }

        sb.Append("</tbody></table></div>\n</section>\n");
        return sb.ToString();
    }

    private static string Verdict(string verdict)
    {
        var cssClass = verdict.ToLowerInvariant() switch
        {
            "yes" => "verdict yes",
            "no" => "verdict no",
            _ => "verdict uncertain",
        };
        return "<span class=\"" + cssClass + "\">" + Html.Escape(verdict) + "</span>";
    }
}
