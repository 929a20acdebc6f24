using System.Text;
using Silica.Advisor.Results;

namespace Silica.Advisor.Report;

/// <summary>What was timed on this machine and how the predictor's local efficiency factors were fitted to it.</summary>
internal static class MeasurementSection
{
    /// <summary>The section; says plainly that everything is predicted when nothing was measured.</summary>
    public static string Render(LocalMeasurement? local, CalibrationInfo? calibration)
    {
        var sb = new StringBuilder();
        sb.Append("<section id=\"local\">\n<h2>Local measurement and calibration</h2>\n");
        if (local is null)
        {
            sb.Append("<p class=\"empty\">Nothing was measured on this machine: every figure in this report is predicted.</p>\n");
        }
        else
        {
            Local(sb, local);
        }

        if (calibration is not null)
        {
            Calibration(sb, calibration);
        }
        else if (local is not null)
        {
            sb.Append("<p class=\"empty\">The predictor was not calibrated against these measurements.</p>\n");
        }

        sb.Append("</section>\n");
        return sb.ToString();
    }

    private static void Local(StringBuilder sb, LocalMeasurement local)
    {
        sb.Append("<p><span class=\"badge measured\">measured</span> <strong class=\"id\">").Append(Html.Escape(local.InstanceId))
            .Append("</strong>: ").Append(Html.Escape(local.Description)).Append(" — ")
            .Append(Html.Sig(local.Seconds)).Append(" s of measuring.</p>\n");
        if (local.Points.Count == 0)
        {
            sb.Append("<p class=\"empty\">No batch size was timed.</p>\n");
            return;
        }

        sb.Append("<div class=\"table-wrap\"><table class=\"narrow\">\n<thead><tr><th>Batch</th><th>p50 / run</th><th>p99 / run</th>")
            .Append("<th title=\"Batch / p50, one replica\">Samples/s at p50</th><th>Runs</th></tr></thead>\n<tbody>\n");
        foreach (var p in local.Points.OrderBy(p => p.Batch))
        {
            var throughput = p.P50Ms > 0 ? p.Batch * 1000.0 / p.P50Ms : double.NaN;
            sb.Append("<tr><td class=\"num\">").Append(Html.Int(p.Batch)).Append("</td>")
                .Append("<td class=\"num\">").Append(Html.Ms(p.P50Ms)).Append("</td>")
                .Append("<td class=\"num\">").Append(Html.Ms(p.P99Ms)).Append("</td>")
                .Append("<td class=\"num\">").Append(Html.Sig(throughput)).Append("</td>")
                .Append("<td class=\"num\">").Append(Html.Int(p.Runs)).Append("</td></tr>\n");
        }

        sb.Append("</tbody></table></div>\n");
    }

    private static void Calibration(StringBuilder sb, CalibrationInfo calibration)
    {
        sb.Append("<h3>Calibration</h3>\n<p>").Append(Html.Escape(calibration.Basis))
            .Append(". Residual (RMS relative error over the measured points): <strong>")
            .Append(Html.Sig(calibration.ResidualPercent, 2)).Append("%</strong>.</p>\n");
        if (calibration.Factors.Count == 0)
        {
            return;
        }

        sb.Append("<div class=\"table-wrap\"><table class=\"narrow\">\n<thead><tr><th>Term</th>")
            .Append("<th title=\"Multiplier on the prior's time; 1 means the prior was right\">Factor</th></tr></thead>\n<tbody>\n");
        foreach (var (term, factor) in calibration.Factors.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            sb.Append("<tr><td>").Append(Html.Escape(term)).Append("</td><td class=\"num\">×").Append(Html.Sig(factor)).Append("</td></tr>\n");
        }

        sb.Append("</tbody></table></div>\n");
    }
}
