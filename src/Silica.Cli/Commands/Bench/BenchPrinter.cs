using System.Globalization;
using Silica.Benchmarking.Inference;
using Silica.Benchmarking.Scenarios;
using Silica.Cli.Output;
using Spectre.Console;

namespace Silica.Cli.Commands.Bench;

/// <summary>Prints a bench report as a table, saying where and how every figure was measured.</summary>
internal static class BenchPrinter
{
    public static void Print(BenchReport report)
    {
        var env = report.Environment;
        var cfg = report.Configuration;
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(report.Model.Name)}[/]  scenario {cfg.Scenario}, {cfg.Precision}" +
            (cfg.Batching is { } b ? $", dynamic batcher {Markup.Escape(b)}" : "") +
            (cfg.Bindings.Count > 0 ? $", {Markup.Escape(string.Join(",", cfg.Bindings.Select(kv => $"{kv.Key}={kv.Value}")))}" : ""));
        if (report.Backend.StartsWith("remote ", StringComparison.Ordinal))
        {
            AnsiConsole.MarkupLine($"[grey]Measured from this client ({Markup.Escape(env.CpuModel ?? "unknown CPU")}, {env.LogicalCores} logical cores) " +
                $"against a {Markup.Escape(report.Backend)}; no retries. Latency from each query's scheduled issue time to the last byte of the answer.[/]");
        }
        else
        {
            AnsiConsole.MarkupLine($"[grey]Measured here: {Markup.Escape(env.CpuModel ?? "unknown CPU")}, {env.LogicalCores} logical cores, " +
                $"{Markup.Escape(report.Backend)} backend (ONNX Runtime {Markup.Escape(env.OnnxRuntimeVersion ?? "?")}), {Markup.Escape(env.Os ?? "")}. " +
                "Latency from each query's scheduled issue time.[/]");
        }

        var server = cfg.Scenario == nameof(Scenario.Server);
        var table = new Table().AddColumns("threads", "batch", "samples/s", server ? "QPS (target)" : "queries/s",
            "p50 ms", "p90 ms", "p99 ms", "p99.9 ms", "max ms", "stable");
        if (server)
        {
            table.AddColumn("p99 bound");
        }
        var search = report.Points.Any(p => p.MaxQps is not null);
        if (search)
        {
            table.AddColumn("max QPS within bound");
        }
        if (report.Points.Any(p => p.AverageBatchSize is not null))
        {
            table.AddColumn("avg batch");
        }
        table.AddColumn("energy/inference");
        foreach (var p in report.Points)
        {
            var r = p.Result;
            var row = new List<string>
            {
                p.Threads == 0 ? "default" : p.Threads.ToString(CultureInfo.InvariantCulture),
                p.BatchSize.ToString(CultureInfo.InvariantCulture),
                r.Throughput.SamplesPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                server
                    ? $"{r.Throughput.QueriesPerSecond.ToString("0.0", CultureInfo.InvariantCulture)} ({r.Settings.TargetQps.ToString("0.#", CultureInfo.InvariantCulture)})"
                    : r.Throughput.QueriesPerSecond.ToString("0.0", CultureInfo.InvariantCulture),
                Ms(r.Latency.P50Us), Ms(r.Latency.P90Us), Ms(r.Latency.P99Us), Ms(r.Latency.P999Us), Ms(r.Latency.MaxUs),
                r.StabilityReached ? "yes" : "[yellow]no[/]",
            };
            if (server)
            {
                row.Add(r.LatencyBoundMet switch { true => "[green]met[/]", false => "[red]missed[/]", _ => "-" });
            }
            if (search)
            {
                row.Add(p.MaxQps is { } m ? $"{m.ToString("0.0", CultureInfo.InvariantCulture)} ({p.Probes?.Count} runs)" : "-");
            }
            if (report.Points.Any(x => x.AverageBatchSize is not null))
            {
                row.Add(p.AverageBatchSize?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-");
            }
            row.Add($"{Units.Joules(p.Energy.JoulesPerInference)} ({p.Energy.Source})");
            table.AddRow([.. row]);
        }
        AnsiConsole.Write(table);
        var energy = report.Points.FirstOrDefault()?.Energy;
        if (energy is not null)
        {
            AnsiConsole.MarkupLine($"[grey]Energy: {Markup.Escape(energy.Method)}.[/]");
        }
        if (report.Points.Any(p => !p.Result.StabilityReached))
        {
            AnsiConsole.MarkupLine("[yellow]Some points did not reach stability (last three windows within the tolerance); treat them as rough or raise --max-duration.[/]");
        }
    }

    private static string Ms(double us) => (us / 1000).ToString(us >= 100_000 ? "0" : us >= 1000 ? "0.00" : "0.000", CultureInfo.InvariantCulture);
}
