using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Silica.Advisor.Measurement;
using Silica.Advisor.Validation;
using Silica.Hardware;
using Spectre.Console;

namespace Silica.Cli.Commands.Validate;

/// <summary>
/// <c>silica validate [models...] [--batch 1,2,4,8] [--budget 8s] [--json out.json]</c>: measures models here and
/// predicts each measurement from a calibration that did not see it, so users can see how far to trust predictions.
/// </summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var models = new Argument<string[]>("models")
        {
            Description = $"Models to measure (zoo:NAME or .onnx files); default: {string.Join(' ', LocalValidation.DefaultModels)}",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var batch = new Option<string>("--batch") { Description = "Batch sizes to measure", DefaultValueFactory = _ => "1,2,4,8" };
        var budget = new Option<string>("--budget") { Description = "Measuring time per model", DefaultValueFactory = _ => "8s" };
        var bind = new Option<string?>("--bind") { Description = $"Symbolic dimension sizes, e.g. seq=64 (default for zoo text models: seq={LocalValidation.DefaultSequence})" };
        var catalogFiles = new Option<string[]>("--catalog") { Description = "User catalog files (see 'silica catalog')" };
        var json = new Option<string?>("--json") { Description = "Also write the report as JSON to this file" };
        var command = new Command("validate", "Check the predictor on this machine: measure models at several batch sizes and predict each point from the others (leave one batch out, leave one model out)")
        {
            models, batch, budget, bind, catalogFiles, json,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(_ =>
        {
            var batches = Parsing.IntList(parse.GetValue(batch)!, "--batch");
            var perModel = Parsing.Duration(parse.GetValue(budget)!, "--budget");
            var bindings = Bindings.Parse(parse.GetValue(bind));
            var names = parse.GetValue(models) is { Length: > 0 } given ? given : [.. LocalValidation.DefaultModels];
            var inputs = names.Select(n => Resolve(n, bindings)).ToList();
            var catalog = CatalogLoader.LoadWithOverrides(parse.GetValue(catalogFiles) ?? []);
            ValidationReport? report = null;
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("measuring", maxValue: 1);
                    report = LocalValidation.Run(catalog, inputs, batches, perModel,
                        new Progress<string>(s => task.Description = Markup.Escape($"measuring {s}")), ct);
                    task.Value = 1;
                });
            ValidatePrinter.Print(report!);
            if (parse.GetValue(json) is { } path)
            {
                AtomicFile.WriteAllText(path, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            }
            return Task.FromResult(0);
        }, ct));
        return command;
    }

    private static ModelInput Resolve(string name, IReadOnlyDictionary<string, long> bindings)
    {
        var merged = new Dictionary<string, long>(bindings, StringComparer.Ordinal);
        if (name.StartsWith("zoo:", StringComparison.OrdinalIgnoreCase)
            && Onnx.Zoo.ModelZoo.Find(name[4..]) is { } info && info.DefaultBindings.ContainsKey("seq"))
        {
            // Text models default to a short sequence so that a 2-core machine measures them in seconds.
            merged.TryAdd("seq", LocalValidation.DefaultSequence);
        }
        return ModelInput.Resolve(name, merged);
    }
}

/// <summary>Prints a <see cref="ValidationReport"/>.</summary>
internal static class ValidatePrinter
{
    public static void Print(ValidationReport report)
    {
        var table = new Table().Title("Measured here vs predicted without that point (latency of one run, ms)");
        table.AddColumns("model", "batch", "measured", "prior", "leave batch out", "err", "leave model out", "err");
        foreach (var p in report.Points)
        {
            table.AddRow(
                Markup.Escape(p.Model), Int(p.Batch), Ms(p.MeasuredMs), Ms(p.PriorMs), Ms(p.LeaveBatchOutMs), Pct(p.LeaveBatchOutErrorPercent),
                p.LeaveModelOutMs is { } m ? Ms(m) : "-", p.LeaveModelOutErrorPercent is { } e ? Pct(e) : "-");
        }
        AnsiConsole.Write(table);
        var c = CultureInfo.InvariantCulture;
        Console.Out.WriteLine(string.Create(c, $"median |error|: leave one batch out {report.MedianErrorLeaveBatchOut:0.0}%") +
            (report.MedianErrorLeaveModelOut is { } lm ? string.Create(c, $", leave one model out {lm:0.0}%") : "") +
            string.Create(c, $", uncalibrated prior {report.PriorMedianError:0.0}% ({report.Points.Count} points measured in {report.MeasuredSeconds:0} s)"));
        Console.Out.WriteLine("fitted factors on all points (x prior time): " +
            string.Join(", ", report.Factors.Select(kv => string.Create(c, $"{kv.Key} {kv.Value:0.###}"))));
    }

    private static string Ms(double ms) => ms.ToString(ms < 10 ? "0.000" : "0.0", CultureInfo.InvariantCulture);

    private static string Pct(double p) => p.ToString("+0.0;-0.0", CultureInfo.InvariantCulture) + "%";

    private static string Int(int v) => v.ToString(CultureInfo.InvariantCulture);
}
