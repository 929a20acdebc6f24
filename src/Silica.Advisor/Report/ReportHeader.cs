using System.Text;
using Silica.Advisor.Results;

namespace Silica.Advisor.Report;

/// <summary>The page header: the model, the requirement, when the comparison ran, and the one-line answer.</summary>
internal static class ReportHeader
{
    /// <summary>The <c>header</c> element for <paramref name="results"/>.</summary>
    public static string Render(CompareResults results)
    {
        var model = results.Model;
        var requirement = results.Requirement;
        var sb = new StringBuilder();
        sb.Append("<header>\n<p class=\"kicker\">silica compare · deployment report</p>\n<h1>")
            .Append(Html.Escape(model.Name)).Append("</h1>\n");
        if (!string.IsNullOrEmpty(model.Source) && model.Source != model.Name)
        {
            sb.Append("<p class=\"source\">").Append(Html.Escape(model.Source)).Append("</p>\n");
        }

        sb.Append("<dl class=\"facts\">\n");
        Fact(sb, "FLOPs / sample", Html.Si(model.FlopsPerSample, "FLOP"));
        Fact(sb, "Parameters", Html.Si(model.Parameters) + " (" + Html.Si(model.ParameterBytes, "B") + ")");
        if (model.Bindings.Count > 0)
        {
            var bindings = model.Bindings.OrderBy(b => b.Key, StringComparer.Ordinal).Select(b => b.Key + " = " + Html.Int(b.Value));
            Fact(sb, "Bindings", string.Join(", ", bindings));
        }

        Fact(sb, "Required load", Html.Sig(requirement.Qps) + " req/s");
        Fact(sb, "p99 SLO", Html.Ms(requirement.SloP99Ms));
        if (requirement.Precisions.Count > 0)
        {
            Fact(sb, "Precisions", string.Join(", ", requirement.Precisions));
        }

        Fact(sb, "Created", Html.Utc(results.CreatedUtc));
        sb.Append("</dl>\n").Append(Answer(results.Deployments)).Append("</header>\n");
        return sb.ToString();
    }

    private static void Fact(StringBuilder sb, string name, string value) =>
        sb.Append("<div><dt>").Append(Html.Escape(name)).Append("</dt><dd>").Append(Html.Escape(value)).Append("</dd></div>\n");

    private static string Answer(IReadOnlyList<Deployment> deployments)
    {
        var feasible = deployments.Count(d => d.Feasible);
        var counts = Html.Int(feasible) + " of " + Html.Int(deployments.Count) + " deployments considered meet the requirement.";
        var best = deployments
            .Where(d => d.Feasible && d.CostPerMillion is { } c && double.IsFinite(c))
            .OrderBy(d => d.Rank <= 0 ? int.MaxValue : d.Rank)
            .FirstOrDefault();
        if (best is null)
        {
            var why = deployments.Count == 0 ? "No deployment was considered."
                : feasible == 0 ? "None of the " + Html.Int(deployments.Count) + " deployments considered meets the requirement."
                : "No feasible deployment is priced. " + counts;
            return "<p class=\"answer\">" + Html.Escape(why) + "</p>\n";
        }

        return "<p class=\"answer\">Cheapest: <strong>" + Html.Escape(best.InstanceId) + "</strong> ("
            + Html.Escape(best.Provider + ", " + best.DeviceId + " × " + Html.Int(best.DeviceCount) + ", " + best.Precision
                + ", batch ≤ " + Html.Int(best.MaxBatch)) + ") at <strong>" + Html.Usd(best.CostPerMillion)
            + "</strong> per 1M inferences with p99 " + Html.Escape(Html.Ms(best.P99Ms)) + " on "
            + Html.Escape(Html.Int(best.Instances)) + (best.Instances == 1 ? " instance " : " instances ")
            + Figure.BasisBadge(best.Basis, best.BasisDetail) + ". " + Html.Escape(counts) + "</p>\n";
    }
}
