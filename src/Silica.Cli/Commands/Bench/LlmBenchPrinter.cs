using System.Globalization;
using Silica.Benchmarking.Llm;
using Silica.Benchmarking.Results;
using Spectre.Console;

namespace Silica.Cli.Commands.Bench;

/// <summary>Prints an LLM bench report: TTFT, TPOT, inter-token and end-to-end percentiles, throughput and goodput.</summary>
internal static class LlmBenchPrinter
{
    public static void Print(LlmBenchReport report)
    {
        var s = report.Settings;
        var r = report.Results;
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(report.Target)}[/]  open loop, Poisson {F(s.RequestRate)} req/s, {s.Requests} requests, " +
            $"prompt {Markup.Escape(s.PromptLength)}, output {Markup.Escape(s.OutputLength)} tokens, greedy");
        AnsiConsole.MarkupLine($"[grey]Measured from this client ({Markup.Escape(report.Environment.CpuModel ?? "unknown CPU")}, {report.Environment.LogicalCores} logical cores); " +
            "every latency from the request's scheduled send time; TPOT = (end-to-end - TTFT) / (output tokens - 1).[/]");
        var table = new Table().AddColumns("metric", "p50 ms", "p90 ms", "p99 ms", "mean ms", "max ms", "n");
        Row(table, "time to first token", r.TimeToFirstToken);
        Row(table, "time per output token", r.TimePerOutputToken);
        Row(table, "inter-token latency", r.InterTokenLatency);
        Row(table, "end-to-end", r.EndToEnd);
        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"completed {r.Completed}, failed {r.Failed} in {F(r.DurationSeconds)} s (arrivals {F(r.AchievedRequestRate)} req/s): " +
            $"[bold]{F(r.OutputTokensPerSecond)} output tokens/s[/], {F(r.TotalTokensPerSecond)} total tokens/s, {F(r.RequestThroughput)} req/s");
        if (r.GoodputRequestsPerSecond is { } goodput)
        {
            var slo = string.Join(" and ", new[] { s.SloTtftMs is { } t ? $"TTFT ≤ {F(t)} ms" : null, s.SloTpotMs is { } p ? $"TPOT ≤ {F(p)} ms" : null }.Where(x => x is not null));
            AnsiConsole.MarkupLine($"goodput under {Markup.Escape(slo)}: [bold]{F(goodput)} req/s[/], {F(r.GoodputOutputTokensPerSecond ?? 0)} output tokens/s; " +
                $"{F(100 * (r.SloAttainment ?? 0))}% of requests met the objectives");
        }
        foreach (var e in r.Errors)
        {
            AnsiConsole.MarkupLine($"[yellow]failure: {Markup.Escape(e)}[/]");
        }
    }

    private static void Row(Table table, string name, LatencySummary l) =>
        table.AddRow(name, Ms(l.P50Us), Ms(l.P90Us), Ms(l.P99Us), Ms(l.MeanUs), Ms(l.MaxUs), l.Count.ToString(CultureInfo.InvariantCulture));

    private static string Ms(double us) => (us / 1000).ToString("0.00", CultureInfo.InvariantCulture);

    private static string F(double v) => v.ToString(v >= 100 ? "0" : "0.##", CultureInfo.InvariantCulture);
}
