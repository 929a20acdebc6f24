using System.Globalization;
using Silica.Cli.Output;
using Silica.Optimization.Optimizer;
using Spectre.Console;

namespace Silica.Cli.Commands.Optimize;

/// <summary>Prints an optimize report: size, passes, node decisions, accuracy and speed, with every caveat in words.</summary>
internal static class OptimizePrinter
{
    /// <summary>Kept nodes listed one by one up to this many; beyond, they are grouped by reason.</summary>
    private const int KeptRowsShown = 20;

    public static void Print(OptimizeResult r)
    {
        var console = AnsiConsole.Console;
        console.MarkupLine($"[bold]{Markup.Escape(r.Model)}[/] → [bold]{r.Precision.Name()}[/], written to {Markup.Escape(r.OutputPath)}");
        console.MarkupLine($"Size: {Units.Bytes(r.BytesBefore)} → {Units.Bytes(r.BytesAfter)} ({Ratio(r.SizeRatio)} of the original)");

        if (r.Passes.Count > 0)
        {
            var passes = new Table().Title("Graph passes").AddColumns("pass", "changes", "what");
            foreach (var p in r.Passes)
            {
                passes.AddRow(Markup.Escape(p.Pass), Count(p.Changes), Markup.Escape(p.Details.Count == 0 ? "-" : string.Join("; ", p.Details.Take(3)) + (p.Details.Count > 3 ? $"; +{p.Details.Count - 3} more" : "")));
            }
            console.Write(passes);
        }

        var nodes = new Table().Title("Nodes").AddColumns("", "count", "detail");
        foreach (var c in r.Converted.OrderByDescending(c => c.Count))
        {
            nodes.AddRow($"converted {Markup.Escape(c.OpType)}", Count(c.Count), Markup.Escape(c.Form));
        }
        if (r.Kept.Count <= KeptRowsShown)
        {
            foreach (var k in r.Kept)
            {
                nodes.AddRow($"kept {Markup.Escape(k.OpType)}", Markup.Escape(k.Node), Markup.Escape(k.Detail));
            }
        }
        else
        {
            foreach (var g in r.Kept.GroupBy(n => n.Detail).OrderByDescending(g => g.Count()))
            {
                nodes.AddRow("kept", Count(g.Count()), Markup.Escape($"{g.Key} ({string.Join(", ", g.Select(n => n.OpType).Distinct().Take(6))})"));
            }
        }
        console.Write(nodes);

        if (r.Calibration is { } c)
        {
            console.MarkupLine($"Calibration: {c.Samples} samples from {Markup.Escape(c.Source)}" + (c.IsSynthetic ? " [yellow](synthetic: activation ranges are a guess, weaker than real data)[/]" : ""));
        }
        if (r.Accuracy is { } a)
        {
            var title = $"Accuracy on {a.Data.Samples} samples from {a.Data.Source}" + (a.Data.IsSynthetic ? " (synthetic)" : "");
            var acc = new Table().Title(Markup.Escape(title)).AddColumns("metric", "original", "optimized", "drop");
            foreach (var s in a.Scores)
            {
                acc.AddRow(Markup.Escape(s.Metric), Percent(s.Reference), Percent(s.Candidate), Points(s.Drop));
            }
            console.Write(acc);
            if (a.Budget is { } budget)
            {
                console.MarkupLine(a.MeetsBudget == true
                    ? $"[green]Within the accuracy budget of {Points(budget)}.[/]"
                    : $"[red]Misses the accuracy budget of {Points(budget)}.[/]");
            }
            if (a.Data.IsSynthetic)
            {
                console.MarkupLine("[yellow]Accuracy was measured on synthetic inputs: agreement with the original on random data, not task accuracy. Give --evaluation with real samples.[/]");
            }
            if (a.Emulated)
            {
                console.MarkupLine("[yellow]ONNX Runtime's CPU provider has no BF16 kernels: accuracy comes from BF16 emulation (values rounded to BF16, computed in FP32).[/]");
            }
        }
        if (r.Speed is { } sp)
        {
            var speed = new Table().Title($"Speed, measured on {Markup.Escape(sp.Device)} ({sp.Threads} threads, batch {sp.Batch}, {sp.Runs} runs each, median)")
                .AddColumns("model", "median latency", "speed-up");
            speed.AddRow("original", Ms(sp.OriginalMedianMs), "1.00x");
            speed.AddRow("optimized", Ms(sp.OptimizedMedianMs), $"{sp.Speedup.ToString("0.00", CultureInfo.InvariantCulture)}x");
            console.Write(speed);
        }
        else if (r.SpeedNotMeasured is { } why)
        {
            console.MarkupLine($"[grey]Speed not measured: {Markup.Escape(why)}[/]");
        }
        foreach (var note in r.Notes)
        {
            console.MarkupLine($"[yellow]Note:[/] {Markup.Escape(note)}");
        }
    }

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string Ratio(double r) => double.IsFinite(r) ? $"{(100 * r).ToString("0.0", CultureInfo.InvariantCulture)}%" : "-";

    private static string Percent(double v) => $"{(100 * v).ToString("0.00", CultureInfo.InvariantCulture)}%";

    private static string Points(double v) => $"{(100 * v).ToString("0.00", CultureInfo.InvariantCulture)} pt";

    private static string Ms(double ms) => ms < 1
        ? $"{(ms * 1000).ToString("0.0", CultureInfo.InvariantCulture)} µs"
        : $"{ms.ToString("0.000", CultureInfo.InvariantCulture)} ms";
}
