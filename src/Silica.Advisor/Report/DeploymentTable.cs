using System.Text;
using Silica.Advisor.Results;

namespace Silica.Advisor.Report;

/// <summary>
/// The ranked table of feasible deployments (the first rows open, the rest folded) and the folded list of
/// infeasible ones with the reason each fails.
/// </summary>
internal static class DeploymentTable
{
    /// <summary>Rows shown before the rest fold into a <c>details</c> element.</summary>
    public const int OpenRows = 20;

    /// <summary>The ranked table, or a sentence when nothing is feasible.</summary>
    public static string Ranked(IReadOnlyList<Deployment> deployments)
    {
        var feasible = deployments.Where(d => d.Feasible).OrderBy(d => d.Rank <= 0 ? int.MaxValue : d.Rank).ToList();
        if (feasible.Count == 0)
        {
            return deployments.Count == 0
                ? "<p class=\"empty\">No deployment was considered.</p>\n"
                : "<p class=\"empty\">No deployment meets the requirement.</p>\n";
        }

        var sb = new StringBuilder();
        Table(sb, feasible.Take(OpenRows));
        if (feasible.Count > OpenRows)
        {
            var more = feasible.Count - OpenRows;
            sb.Append("<details class=\"more\"><summary>").Append(Html.Int(more))
                .Append(more == 1 ? " more feasible deployment" : " more feasible deployments").Append("</summary>\n");
            Table(sb, feasible.Skip(OpenRows));
            sb.Append("</details>\n");
        }

        return sb.ToString();
    }

    /// <summary>The folded list of infeasible deployments; empty when every deployment is feasible.</summary>
    public static string Infeasible(IReadOnlyList<Deployment> deployments)
    {
        var infeasible = deployments.Where(d => !d.Feasible).ToList();
        if (infeasible.Count == 0)
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        sb.Append("<details class=\"infeasible\"><summary>").Append(Html.Int(infeasible.Count))
            .Append(infeasible.Count == 1 ? " infeasible deployment" : " infeasible deployments")
            .Append(" and why</summary>\n<div class=\"table-wrap\"><table>\n<thead><tr>")
            .Append("<th>Instance</th><th>Provider</th><th>Device × count</th><th>Precision</th><th>Max batch / wait</th>")
            .Append("<th>Basis</th><th>Reason</th></tr></thead>\n<tbody>\n");
        foreach (var d in infeasible)
        {
            sb.Append("<tr><td class=\"id\">").Append(Html.Escape(d.InstanceId)).Append("</td>")
                .Append("<td>").Append(Html.Escape(d.Provider)).Append("</td>")
                .Append("<td class=\"device\">").Append(Device(d)).Append("</td>")
                .Append("<td>").Append(Html.Escape(d.Precision)).Append("</td>")
                .Append("<td class=\"num\">").Append(Batcher(d)).Append("</td>")
                .Append("<td>").Append(Figure.BasisBadge(d.Basis, d.BasisDetail)).Append("</td>")
                .Append("<td class=\"reason\">").Append(Html.Escape(d.Reason ?? "no reason given")).Append("</td></tr>\n");
        }

        sb.Append("</tbody></table></div>\n</details>\n");
        return sb.ToString();
    }

    private static void Table(StringBuilder sb, IEnumerable<Deployment> rows)
    {
        sb.Append("<div class=\"table-wrap\"><table class=\"ranked\">\n<thead><tr>")
            .Append("<th>#</th><th>Instance</th><th>Provider</th><th>Device × count</th><th>Precision</th>")
            .Append("<th title=\"Largest batch the batcher forms / how long it waits to fill one\">Max batch / wait</th>")
            .Append("<th>Basis</th><th title=\"Central estimate (low–high)\">Instances</th>")
            .Append("<th title=\"All instances, on-demand\">$/hour</th><th>$/1M inferences</th><th>p99</th>")
            .Append("<th title=\"Highest load one instance serves under the SLO\">Capacity / instance</th>")
            .Append("<th>J/inference</th><th title=\"On the Pareto front of cost and p99\">Pareto</th>")
            .Append("</tr></thead>\n<tbody>\n");
        foreach (var d in rows)
        {
            Row(sb, d);
        }

        sb.Append("</tbody></table></div>\n");
    }

    private static void Row(StringBuilder sb, Deployment d)
    {
        sb.Append(d.OnParetoFront ? "<tr class=\"pareto\">" : "<tr>")
            .Append("<td class=\"num rank\">").Append(Html.Int(d.Rank)).Append("</td>")
            .Append("<td class=\"id\">").Append(Html.Escape(d.InstanceId)).Append("</td>")
            .Append("<td>").Append(Html.Escape(d.Provider)).Append("</td>")
            .Append("<td class=\"device\">").Append(Device(d)).Append("</td>")
            .Append("<td>").Append(Html.Escape(d.Precision)).Append("</td>")
            .Append("<td class=\"num\">").Append(Batcher(d)).Append("</td>")
            .Append("<td>").Append(Figure.BasisBadge(d.Basis, d.BasisDetail)).Append("</td>")
            .Append("<td class=\"num\">").Append(Html.Int(d.Instances));
        if (d.InstancesLow != d.Instances || d.InstancesHigh != d.Instances)
        {
            sb.Append("<span class=\"band\">").Append(Html.Int(d.InstancesLow)).Append('–').Append(Html.Int(d.InstancesHigh)).Append("</span>");
        }

        sb.Append("</td>");
        AppendHourly(sb, d);
        AppendCost(sb, d);
        sb.Append("<td class=\"num\">").Append(Html.Ms(d.P99Ms))
            .Append("<span class=\"band\">").Append(Html.Band(d.P99LowMs, d.P99HighMs)).Append("</span></td>")
            .Append("<td class=\"num\">").Append(Html.Sig(d.CapacityQpsPerInstance)).Append(" req/s</td>");
        AppendEnergy(sb, d);
        sb.Append(d.OnParetoFront
            ? "<td class=\"pareto-mark\" title=\"On the Pareto front: no other deployment is both cheaper and faster\">★</td>"
            : "<td></td>");
        sb.Append("</tr>\n");
    }

    private static void AppendHourly(StringBuilder sb, Deployment d)
    {
        var tip = d.PricePerHour is { } price
            ? Html.UsdCents(price) + " per instance-hour" + (d.PriceSource is { } s ? "; " + s : string.Empty)
            : "No price: " + (d.PriceSource ?? "the catalog has none for this instance");
        sb.Append("<td class=\"num").Append(d.HourlyCost is null ? " unpriced" : string.Empty).Append("\" title=\"")
            .Append(Html.Escape(tip)).Append("\">").Append(Html.UsdCents(d.HourlyCost)).Append("</td>");
    }

    private static void AppendCost(StringBuilder sb, Deployment d)
    {
        if (d.CostPerMillion is null)
        {
            sb.Append("<td class=\"num unpriced\">").Append(Html.Unpriced).Append("</td>");
            return;
        }

        sb.Append("<td class=\"num cost\">").Append(Html.Usd(d.CostPerMillion));
        if (d.CostPerMillionLow is { } lo && d.CostPerMillionHigh is { } hi)
        {
            sb.Append("<span class=\"band\">").Append(Html.Band(lo, hi)).Append("</span>");
        }

        sb.Append("</td>");
    }

    private static void AppendEnergy(StringBuilder sb, Deployment d)
    {
        if (d.JoulesPerInference is not { } joules)
        {
            sb.Append("<td class=\"num muted\" title=\"The device's power is not published\">").Append(Html.Missing).Append("</td>");
            return;
        }

        sb.Append("<td class=\"num\"");
        if (d.EnergyBasis is { } basis)
        {
            sb.Append(" title=\"").Append(Html.Escape(basis)).Append('"');
        }

        sb.Append('>').Append(Html.Sig(joules)).Append(" J</td>");
    }

    private static string Device(Deployment d)
    {
        var tip = d.DeviceClass + "; " + Html.Int(d.ReplicasPerInstance) + (d.ReplicasPerInstance == 1 ? " replica" : " replicas") + " per instance";
        return "<span class=\"dot\" style=\"background:" + Palette.ForDeviceClass(d.DeviceClass) + "\"></span><span title=\""
            + Html.Escape(tip) + "\">" + Html.Escape(d.DeviceId) + " ×&nbsp;" + Html.Int(d.DeviceCount) + "</span>";
    }

    private static string Batcher(Deployment d) =>
        Html.Int(d.MaxBatch) + " / " + (double.IsFinite(d.QueueDelayMs) ? Html.Tick(Math.Round(d.QueueDelayMs, 2)) + " ms" : Html.Missing);
}
