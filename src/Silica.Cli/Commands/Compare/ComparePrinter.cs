using System.Globalization;
using Silica.Advisor.Results;
using Spectre.Console;

namespace Silica.Cli.Commands.Compare;

/// <summary>Prints a comparison: the ranked table, what was ruled out, claim verdicts and notes.</summary>
internal static class ComparePrinter
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Prints the comparison; without <paramref name="all"/> each instance type shows only its best row.</summary>
    public static void Print(CompareResults results, int top, bool all)
    {
        var r = results.Requirement;
        Console.Out.WriteLine(string.Create(C,
            $"{results.Model.Name}: {r.Qps:0.##} requests/s at p99 <= {r.SloP99Ms:0.##} ms, {string.Join("/", r.Precisions)}; {results.Model.FlopsPerSample / 1e9:0.##} GFLOP/sample"));
        if (results.Accuracy is { } screen)
        {
            PrecisionAuto.Print(screen);
        }
        if (results.Local is { } local)
        {
            var points = string.Join(", ", local.Points.Select(p => $"batch {p.Batch} {Ms(p.P50Ms)} ms"));
            Console.Out.WriteLine(string.Create(C, $"measured here ({local.Description}) in {local.Seconds:0} s: {points}"));
        }
        if (results.Calibration is { } cal)
        {
            Console.Out.WriteLine(string.Create(C, $"local calibration: residual {cal.ResidualPercent:0.#}%, factors ") +
                string.Join(", ", cal.Factors.Select(kv => string.Create(C, $"{kv.Key} {kv.Value:0.##}"))));
        }
        var feasible = results.Deployments.Where(d => d.Feasible).ToList();
        var shown = all ? feasible : [.. feasible.DistinctBy(d => d.InstanceId)];
        var table = new Table().Title(all
            ? "Every feasible deployment, cheapest first (* = on the cost/p99 Pareto front)"
            : "Best deployment per instance type, cheapest first (* = on the cost/p99 Pareto front; --all lists every precision)");
        table.AddColumns("#", "instance", "devices", "prec", "batcher", "basis", "instances", "$/hour", "$/1M at load (band)", "$/1M at capacity (band)", "p99 ms (band)", "QPS/inst", "J/inf", "");
        foreach (var column in table.Columns)
        {
            column.NoWrap();
        }
        foreach (var d in shown.Take(top))
        {
            table.AddRow(
                d.Rank.ToString(C),
                Markup.Escape(d.InstanceId),
                Markup.Escape($"{d.DeviceCount} x {d.DeviceId}" + (d.ReplicasPerInstance > 1 && d.DeviceClass == "cpu" ? $" ({d.ReplicasPerInstance} replicas)" : "")),
                d.Precision,
                string.Create(C, $"max {d.MaxBatch}, {d.QueueDelayMs:0.#} ms"),
                d.Basis,
                d.InstancesLow == d.InstancesHigh ? d.Instances.ToString(C) : string.Create(C, $"{d.Instances} ({d.InstancesLow}-{Count(d.InstancesHigh)})"),
                d.HourlyCost is { } h ? h.ToString("0.00", C) : "unpriced",
                d.CostPerMillion is { } cost ? string.Create(C, $"{Dollars(cost)} ({Dollars(d.CostPerMillionLow)}-{Dollars(d.CostPerMillionHigh)})") : "unpriced",
                d.CostPerMillionAtCapacity is { } unit ? string.Create(C, $"{Dollars(unit)} ({Dollars(d.CostPerMillionAtCapacityLow)}-{Dollars(d.CostPerMillionAtCapacityHigh)})") : "unpriced",
                string.Create(C, $"{Ms(d.P99Ms)} ({Ms(d.P99LowMs)}-{Ms(d.P99HighMs)})"),
                d.CapacityQpsPerInstance.ToString(d.CapacityQpsPerInstance < 10 ? "0.##" : "0", C),
                d.JoulesPerInference is { } j ? j.ToString(j < 0.1 ? "0.0000" : "0.00", C) : "-",
                d.OnParetoFront ? "*" : "");
        }
        AnsiConsole.Write(table);
        var instances = feasible.Select(d => d.InstanceId).Distinct().Count();
        Console.Out.WriteLine(string.Create(C,
            $"{feasible.Count} feasible deployments on {instances} instance types{(shown.Count > top ? $" ({shown.Count - top} more rows in results.json)" : "")}; " +
            $"{results.Deployments.Count - feasible.Count} ruled out:"));
        foreach (var group in results.Deployments.Where(d => !d.Feasible).GroupBy(d => Reason(d.Reason)).OrderByDescending(g => g.Count()).Take(6))
        {
            Console.Out.WriteLine($"  {string.Join(", ", group.Select(d => $"{d.InstanceId} {d.Precision}").Take(6))}{(group.Count() > 6 ? $" and {group.Count() - 6} more" : "")}: {group.First().Reason}");
        }
        foreach (var claim in results.Claims)
        {
            Console.Out.WriteLine($"claim \"{claim.Claim}\": {claim.Verdict.ToUpperInvariant()} - {claim.Explanation}");
        }
        foreach (var note in results.Notes)
        {
            Console.Out.WriteLine($"note: {note}");
        }
    }

    /// <summary>Groups reasons that differ only in figures (same kind of problem).</summary>
    private static string Reason(string? reason) => reason is null ? "" : new string([.. reason.Where(ch => !char.IsDigit(ch) && ch != '.')]);

    private static string Count(int n) => n == int.MaxValue ? "∞" : n.ToString(C);

    private static string Dollars(double? v) => v switch
    {
        null => "∞",
        >= 100 => v.Value.ToString("0", C),
        >= 1 => v.Value.ToString("0.00", C),
        _ => v.Value.ToString("0.000", C),
    };

    private static string Ms(double ms) => double.IsFinite(ms) ? ms.ToString(ms < 10 ? "0.00" : "0", C) : "∞";
}
