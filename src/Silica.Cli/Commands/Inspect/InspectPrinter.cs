using Silica.Cli.Output;
using Silica.Onnx.Analysis;
using Spectre.Console;

namespace Silica.Cli.Commands.Inspect;

/// <summary>Prints an inspect report as tables.</summary>
internal static class InspectPrinter
{
    public static void Print(ModelSummary s, bool perNode)
    {
        var console = AnsiConsole.Console;
        var cost = s.Cost;
        console.MarkupLine($"[bold]{Markup.Escape(s.Name)}[/]  ONNX IR {s.IrVersion}, opset {s.Opset}" +
            (s.Producer.Length > 0 ? $", produced by {Markup.Escape(s.Producer)}" : "") +
            (s.Weightless ? "  [grey](weightless: shapes only)[/]" : ""));
        var bound = s.Bindings.Count == 0 ? "none" : string.Join(", ", s.Bindings.Select(b => $"{b.Key}={b.Value}"));
        console.MarkupLine($"[grey]Bound dimensions: {Markup.Escape(bound)}. Figures are counted from the graph (static analysis), not measured.[/]");
        console.WriteLine();

        var io = new Table().Title("Inputs and outputs").AddColumns("", "name", "type", "shape");
        foreach (var i in s.Inputs)
        {
            io.AddRow("in", Markup.Escape(i.Name), i.ElementType, Markup.Escape(i.Shape));
        }
        foreach (var o in s.Outputs)
        {
            io.AddRow("out", Markup.Escape(o.Name), o.ElementType, Markup.Escape(o.Shape));
        }
        console.Write(io);

        var totals = new Table().Title("Cost").AddColumns("figure", "value");
        totals.AddRow("nodes", s.Cost.Nodes.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        totals.AddRow("parameters", $"{Units.Count(cost.ParameterCount)} ({Units.Bytes(cost.ParameterBytes)})");
        totals.AddRow("FLOPs (multiply-add = 2)", $"{Units.Count(cost.Flops)}FLOP ({Units.Count(cost.Macs)}MAC)");
        totals.AddRow("bytes read", Units.Bytes(cost.BytesRead));
        totals.AddRow("bytes written", Units.Bytes(cost.BytesWritten));
        totals.AddRow("arithmetic intensity", $"{cost.ArithmeticIntensity:0.0} FLOP/byte");
        if (cost.UnknownNodes > 0)
        {
            totals.AddRow("[yellow]nodes with unknown cost[/]", cost.UnknownNodes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        console.Write(totals);

        var ops = new Table().Title("Operators").AddColumns("op", "count", "FLOPs", "share");
        var flopsByOp = cost.Nodes.GroupBy(n => n.OpType).ToDictionary(g => g.Key, g => g.Sum(n => n.Flops));
        foreach (var (op, count) in s.OpHistogram)
        {
            var f = flopsByOp.GetValueOrDefault(op.Contains('.', StringComparison.Ordinal) ? op[(op.LastIndexOf('.') + 1)..] : op);
            ops.AddRow(Markup.Escape(op), count.ToString(System.Globalization.CultureInfo.InvariantCulture), Units.Count(f),
                cost.Flops > 0 ? $"{100 * f / cost.Flops:0.0}%" : "-");
        }
        console.Write(ops);

        if (perNode)
        {
            var nodes = new Table().Title("Nodes").AddColumns("#", "node", "op", "class", "FLOPs", "read", "written", "params", "FLOP/B");
            var i = 0;
            foreach (var n in cost.Nodes)
            {
                nodes.AddRow((i++).ToString(System.Globalization.CultureInfo.InvariantCulture), Markup.Escape(n.NodeName), Markup.Escape(n.OpType),
                    n.OpClass.ToString(), n.IsKnown ? Units.Count(n.Flops) : "?", n.IsKnown ? Units.Bytes(n.BytesRead) : "?",
                    n.IsKnown ? Units.Bytes(n.BytesWritten) : "?", Units.Count(n.ParameterCount),
                    n.IsKnown && n.BytesRead + n.BytesWritten > 0 ? n.ArithmeticIntensity.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) : "-");
            }
            console.Write(nodes);
        }

        if (s.UnboundDimensions.Count > 0)
        {
            console.MarkupLine($"[yellow]Unbound dimensions {Markup.Escape(string.Join(", ", s.UnboundDimensions))}: costs that depend on them are unknown. Bind them with --bind {Markup.Escape(string.Join(",", s.UnboundDimensions.Select(d => d + "=1")))}.[/]");
        }
        foreach (var d in s.Diagnostics.Take(20))
        {
            console.MarkupLine($"[yellow]warning:[/] {Markup.Escape(d.Message)}");
        }
        if (s.Diagnostics.Count > 20)
        {
            console.MarkupLine($"[yellow]... and {s.Diagnostics.Count - 20} more shape warnings[/]");
        }
    }
}
