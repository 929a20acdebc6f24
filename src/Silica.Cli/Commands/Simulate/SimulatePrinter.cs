using System.Globalization;
using Silica.Prediction.Serving;
using Spectre.Console;

namespace Silica.Cli.Commands.Simulate;

/// <summary>Prints simulated results as a table, labelled as simulated and naming the curve they came from.</summary>
internal static class SimulatePrinter
{
    public static void Print(SimulationReport report)
    {
        var c = report.Curve;
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(c.Model)}[/]  dynamic batcher {Markup.Escape(report.BatchingSpec)}" +
            (report.Policy.RowsPerRequest > 1 ? $", {report.Policy.RowsPerRequest} rows per request" : ""));
        AnsiConsole.MarkupLine($"[grey]Simulated from {Markup.Escape(c.Path)} ({Markup.Escape(c.Basis)}, threads {c.ThreadsText}), not measured: " +
            $"Poisson arrivals, {report.Options.Requests} requests per rate after {report.Options.WarmupRequests} warm-up, seed {report.Options.Seed}" +
            ".[/]");
        if (!report.Options.Overhead.IsZero)
        {
            AnsiConsole.MarkupLine("[grey]Platform overhead added per request: " + Overhead(report.Options.Overhead) +
                (report.Calibration is { } cal
                    ? $", measured by {Markup.Escape(cal.Path)} at {cal.Qps.ToString("0.##", CultureInfo.InvariantCulture)} QPS (p50 {Ms(cal.Measured.P50Seconds)}, p90 {Ms(cal.Measured.P90Seconds)}, p99 {Ms(cal.Measured.P99Seconds)} ms)"
                    : "") + ".[/]");
        }
        AnsiConsole.MarkupLine("[grey]Service times (ms): " + string.Join(", ", c.Sorted.Select(p =>
            $"batch {p.Batch} p50 {Ms(p.P50Seconds)} p99 {Ms(p.P99Seconds)}")) + "[/]");
        if (report.Results.Count > 0)
        {
            var table = new Table().AddColumns("QPS", "p50 ms", "p90 ms", "p99 ms", "mean ms", "mean batch", "utilization", "rejected", "saturated");
            if (report.SloP99 is not null)
            {
                table.AddColumn("p99 bound");
            }
            foreach (var r in report.Results)
            {
                var row = new List<string>
                {
                    r.ArrivalQps.ToString("0.##", CultureInfo.InvariantCulture),
                    Ms(r.P50Seconds), Ms(r.P90Seconds), Ms(r.P99Seconds), Ms(r.MeanSeconds),
                    r.MeanBatchRows.ToString("0.00", CultureInfo.InvariantCulture),
                    r.Utilization.ToString("0.0%", CultureInfo.InvariantCulture),
                    r.RejectedFraction.ToString("0.0%", CultureInfo.InvariantCulture),
                    r.Saturated ? "[red]yes[/]" : "no",
                };
                if (report.SloP99 is { } slo)
                {
                    row.Add(r.P99Seconds <= slo.TotalSeconds && r.RejectedFraction == 0 && !r.Saturated ? "[green]met[/]" : "[red]missed[/]");
                }
                table.AddRow([.. row]);
            }
            AnsiConsole.Write(table);
        }
        if (report.Capacity is { } cap && report.SloP99 is { } bound)
        {
            var b = Ms(bound.TotalSeconds);
            AnsiConsole.MarkupLine(cap.MaxQps > 0
                ? $"Max QPS with p99 ≤ {b} ms: [bold]{cap.MaxQps.ToString("0.0", CultureInfo.InvariantCulture)}[/] " +
                  $"(p99 {Ms(cap.AtMax.P99Seconds)} ms, mean batch {cap.AtMax.MeanBatchRows.ToString("0.00", CultureInfo.InvariantCulture)}, " +
                  $"utilization {cap.AtMax.Utilization.ToString("0.0%", CultureInfo.InvariantCulture)}; {cap.Iterations} simulated rates)"
                : $"Max QPS with p99 ≤ {b} ms: [red]none[/] (at {cap.AtMax.ArrivalQps.ToString("0.##", CultureInfo.InvariantCulture)}/s the p99 is already {Ms(cap.AtMax.P99Seconds)} ms)");
        }
        AnsiConsole.MarkupLine("[grey]Each instance is assumed to serve at the curve's speed; on a machine whose cores the instances (or the load) share, measure the curve under the same conditions.[/]");
    }

    private static string Overhead(RequestOverhead o) =>
        string.Join(", ", o.Quantiles.Select(q => $"p{(q.Probability * 100).ToString("0.#", CultureInfo.InvariantCulture)} +{Ms(q.Seconds)} ms"));

    private static string Ms(double seconds)
    {
        if (double.IsPositiveInfinity(seconds))
        {
            return "-";
        }
        var ms = seconds * 1000;
        return ms.ToString(ms >= 100 ? "0" : ms >= 1 ? "0.00" : "0.000", CultureInfo.InvariantCulture);
    }
}
