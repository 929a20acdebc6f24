using System.Globalization;
using Silica.Runtime.Conformance;
using Spectre.Console;

namespace Silica.Cli.Commands.GpuCheck;

/// <summary>Prints a gpu-check report as tables: one row per (model, precision), then node-test coverage.</summary>
internal static class GpuCheckPrinter
{
    public static void Print(GpuCheckReport report)
    {
        AnsiConsole.MarkupLine($"[bold]gpu-check[/] {Markup.Escape(report.Backend)} ({Markup.Escape(report.Device)}) against {Markup.Escape(report.Reference)} FP32, " +
            $"batch {report.Batch}, seq {report.Seq}, seed {report.Seed}");
        if (report.Models.Count > 0)
        {
            var table = new Table().AddColumns("model", "precision", "result", "max rel err", "cosine", "criterion", "ms", "note");
            foreach (var m in report.Models)
            {
                table.AddRow(
                    Markup.Escape(m.Model),
                    m.Precision,
                    m.Status switch { CheckStatus.Pass => "[green]pass[/]", CheckStatus.Fail => "[red]FAIL[/]", _ => "[grey]skip[/]" },
                    Number(m.PeakRelativeError, "0.00e0"),
                    Number(m.Cosine, "0.000000"),
                    Markup.Escape(m.Criterion),
                    Number(m.Milliseconds, "0.00"),
                    Markup.Escape(m.Note ?? ""));
            }
            AnsiConsole.Write(table);
        }
        foreach (var n in report.NodeTests)
        {
            PrintNodeTests(n);
        }
        var failed = report.Models.Count(m => m.Status == CheckStatus.Fail) + report.NodeTests.Sum(n => n.Failed);
        AnsiConsole.MarkupLine(failed == 0 ? "[green]gpu-check passed[/]" : $"[red]gpu-check failed: {failed} failures[/]");
    }

    private static void PrintNodeTests(NodeTestReport n)
    {
        var label = n.AllowTf32 ? "tf32" : n.Precision.ToString().ToLowerInvariant();
        AnsiConsole.MarkupLine($"node tests ({label}, rtol {n.Tolerances.Relative:g2}, atol {n.Tolerances.Absolute:g2}): " +
            $"[green]{n.Passed} passed[/], [red]{n.Failed} failed[/], [grey]{n.Skipped} skipped[/] of {n.Results.Count}; " +
            $"{n.Coverage.Count(c => c.Passed == c.Total)} of {n.Coverage.Count} operators fully pass");
        var partial = n.Coverage.Where(c => c.Passed < c.Total).ToList();
        if (partial.Count > 0)
        {
            AnsiConsole.MarkupLine("  operators not fully passing (passed/failed/skipped): " +
                Markup.Escape(string.Join(", ", partial.Select(c => $"{c.OpType} {c.Passed}/{c.Failed}/{c.Skipped}"))));
        }
        foreach (var r in n.Results.Where(r => r.Outcome == NodeTestOutcome.Failed).Take(20))
        {
            AnsiConsole.MarkupLine($"  [red]FAIL[/] {Markup.Escape(r.Name)}: {Markup.Escape(r.Reason ?? "")}");
        }
    }

    private static string Number(double? v, string format) => v is { } x ? x.ToString(format, CultureInfo.InvariantCulture) : "-";
}
