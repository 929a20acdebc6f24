using System.Text;
using Silica.Advisor.Results;

namespace Silica.Advisor.Report;

/// <summary>The report's accuracy-gate section (<c>--precision auto</c>): what was measured here per precision and what was excluded.</summary>
internal static class AccuracySection
{
    public static string Render(AccuracyScreen? screen)
    {
        if (screen is null)
        {
            return "";
        }
        var data = screen.Evaluation;
        var sb = new StringBuilder(2048);
        sb.Append("<section id=\"accuracy\">\n<h2>Accuracy gate (--precision auto)</h2>\n<p class=\"lede\">")
            .Append(Html.Escape(char.ToUpperInvariant(screen.Basis[0]) + screen.Basis[1..])).Append(". Budget ").Append(Html.Sig(screen.BudgetPoints))
            .Append(" pt; ").Append(Html.Int(data.Samples)).Append(data.Synthetic ? " synthetic samples (weaker evidence than real data)" : " samples")
            .Append(" from ").Append(Html.Escape(data.Source)).Append(".</p>\n<table>\n<thead><tr><th>precision</th><th>verdict</th><th>measured</th><th>costed as</th></tr></thead>\n<tbody>\n");
        foreach (var p in screen.Precisions)
        {
            var measured = p.Precision == "fp32" ? "reference"
                : p.Metrics.Count == 0 ? "not measured"
                : string.Join(", ", p.Metrics.Select(m => $"{m.Metric} {Html.Sig(m.ValuePercent, 6)}% (drop {Html.Sig(m.DropPoints)} pt{(m.Gated ? "" : ", not gated")})"));
            sb.Append("<tr><td>").Append(Html.Escape(p.Precision)).Append("</td><td>").Append(p.Passed ? "pass" : "fail")
                .Append("</td><td>").Append(Html.Escape(measured + (p.Emulated ? " (emulated)" : ""))).Append("</td><td>")
                .Append(p.Passed ? Html.Escape(p.TableFormat) : "excluded: " + Html.Escape(p.Reason)).Append("</td></tr>\n");
        }
        sb.Append("</tbody>\n</table>\n");
        foreach (var note in screen.Notes)
        {
            sb.Append("<p class=\"lede\">").Append(Html.Escape(note)).Append("</p>\n");
        }
        return sb.Append("</section>\n").ToString();
    }
}
