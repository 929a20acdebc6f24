using System.Globalization;
using Silica.Advisor.Measurement;
using Silica.Advisor.Results;
using Silica.Cli.Commands.Optimize;
using Silica.Hardware;
using Silica.Onnx.Graph;
using Silica.Onnx.Zoo;
using Silica.Optimization.Data;
using Silica.Optimization.Optimizer;
using Silica.Prediction;
using Spectre.Console;

namespace Silica.Cli.Commands.Compare;

/// <summary>
/// <c>--precision auto</c>: runs the optimizer's accuracy gate here for each candidate precision and hands the advisor
/// only the formats that passed, with what was measured. The gate runs in the CLI because the advisor (prediction and
/// cost) does not depend on the optimizer.
/// </summary>
internal static class PrecisionAuto
{
    public const string Keyword = "auto";

    /// <summary>The gate's settings as given on the command line.</summary>
    public sealed record Settings(string? Budget, string? Calibration, string? Evaluation, string? Preprocess);

    /// <summary>True for <c>--precision auto</c>; a list mixing it with formats is a usage error.</summary>
    public static bool IsAuto(IReadOnlyList<string> precisions)
    {
        if (!precisions.Any(p => p.Equals(Keyword, StringComparison.OrdinalIgnoreCase)))
        {
            return false;
        }
        return precisions.Count == 1
            ? true
            : throw new UsageException($"--precision auto picks the formats itself; do not mix it with others (got '{string.Join(",", precisions)}')");
    }

    /// <summary>The gate options given without <c>--precision auto</c> are mistakes: they would silently do nothing.</summary>
    public static void RejectWithoutAuto(Settings settings)
    {
        var given = new[] { ("--accuracy-budget", settings.Budget), ("--calibration", settings.Calibration), ("--evaluation", settings.Evaluation), ("--preprocess", settings.Preprocess) }
            .Where(x => x.Item2 is not null).Select(x => x.Item1).ToList();
        if (given.Count > 0)
        {
            throw new UsageException($"{string.Join(", ", given)} only {(given.Count == 1 ? "applies" : "apply")} with --precision auto (which checks accuracy before costing)");
        }
    }

    /// <summary>Runs the gate on <paramref name="model"/>: the formats to cost (FP32 first) and the screen for the results.</summary>
    public static (IReadOnlyList<NumericFormat> Formats, AccuracyScreen Screen) Run(ModelInput model, Settings settings, bool quiet)
    {
        var budget = settings.Budget is { } b ? OptimizeArguments.Budget(b) : PrecisionGate.DefaultBudget;
        var preprocess = OptimizeArguments.Preprocess(settings.Preprocess);
        var onnx = OnnxModel.Load(model.Path);
        var inputs = ModelInputs.Of(onnx);
        var bindings = new Dictionary<string, long>(model.Bindings);
        PrecisionGateResult result;
        try
        {
            // Evaluation samples get another seed: rendered or synthetic ones must not repeat the calibration samples.
            var request = new PrecisionGateRequest
            {
                Model = onnx,
                Bindings = bindings,
                Budget = budget,
                Calibration = settings.Calibration is { } c ? SampleSource.Load(c, inputs, bindings, preprocess, 1, null) : null,
                Evaluation = settings.Evaluation is { } e ? SampleSource.Load(e, inputs, bindings, preprocess, 1001, null) : null,
            };
            result = quiet ? PrecisionGate.Run(request) : RunWithStatus(request, model.Name);
        }
        catch (SampleDataException ex)
        {
            throw new UsageException(ex.Message);
        }
        var formats = new List<NumericFormat> { NumericFormat.Fp32 };
        formats.AddRange(result.Checks.Where(c => c.Passed).Select(c => Format(c.Precision)).Distinct());
        var screen = Screen(result);
        if (ModelSource.IsZoo(model.Name))
        {
            // Random weights can leave near-ties between classes that any rounding flips; a trained model usually has fewer.
            screen = screen with { Notes = [.. screen.Notes, "zoo models carry random weights: the gate shows how each conversion behaves on this graph, not a trained model's accuracy"] };
        }
        return (formats, screen);
    }

    private static PrecisionGateResult RunWithStatus(PrecisionGateRequest request, string name)
    {
        PrecisionGateResult? result = null;
        AnsiConsole.Status().Start(Markup.Escape($"{name}: checking accuracy per precision here"), ctx =>
        {
            result = PrecisionGate.Run(request, new ImmediateProgress(line => ctx.Status(Markup.Escape($"{name}: accuracy gate, {line}"))));
        });
        return result!;
    }

    private static AccuracyScreen Screen(PrecisionGateResult result)
    {
        var data = new ScreenData(result.Evaluation.Source, result.Evaluation.Samples, result.Evaluation.IsSynthetic);
        var rows = new List<PrecisionAccuracy>
        {
            new("fp32", "fp32", true, [], null, data.Samples, data.Source, false, 0),
        };
        rows.AddRange(result.Checks.Select(c => new PrecisionAccuracy(c.Precision.Name(), Precision.Name(Format(c.Precision)), c.Passed,
            [.. c.Scores.Select(s => new AccuracyValue(s.Metric, 100 * s.Reference, 100 * s.Candidate, 100 * s.Drop, s.Drop <= result.Budget, s.Metric == c.GatedMetric))],
            c.Reason, data.Samples, data.Source, c.Emulated, c.Seconds)));
        return new AccuracyScreen
        {
            BudgetPoints = 100 * result.Budget,
            Basis = "accuracy measured on this machine's CPU with ONNX Runtime (each precision converted as 'silica optimize' does, no mixed-precision fallback, "
                + "against the FP32 model on the same samples; the first metric is held to the budget, others are reported); cost and latency are predicted per target",
            Evaluation = data,
            Calibration = result.Calibration is { } cal ? new ScreenData(cal.Source, cal.Samples, cal.IsSynthetic) : null,
            Precisions = rows,
            Excluded = [.. result.Checks.Where(c => !c.Passed).Select(c => new ExcludedPrecision(c.Precision.Name(), c.Reason ?? "failed"))],
            Seconds = result.Seconds,
            Notes = [.. result.Notes, .. Int8Notes(result)],
        };
    }

    /// <summary>The cost table has one int8 format; say which conversion earned it when only the dynamic one passed.</summary>
    private static IEnumerable<string> Int8Notes(PrecisionGateResult result)
    {
        var staticPassed = result.Checks.Any(c => c.Precision == TargetPrecision.Int8 && c.Passed);
        var dynamicPassed = result.Checks.Any(c => c.Precision == TargetPrecision.Int8Dynamic && c.Passed);
        if (dynamicPassed && !staticPassed)
        {
            yield return "the int8 rows stand for int8-dynamic (MatMul/Gemm in int8, the rest in FP32) and are predicted as if every op ran in int8: optimistic";
        }
    }

    private static NumericFormat Format(TargetPrecision precision) => precision switch
    {
        TargetPrecision.Fp16 => NumericFormat.Fp16,
        TargetPrecision.Bf16 => NumericFormat.Bf16,
        TargetPrecision.Fp8 => NumericFormat.Fp8,
        _ => NumericFormat.Int8,
    };

    /// <summary>Prints the screen: per precision what was measured and the verdict, then the exclusions.</summary>
    public static void Print(AccuracyScreen screen)
    {
        var c = CultureInfo.InvariantCulture;
        var data = screen.Evaluation;
        Console.Out.WriteLine(string.Create(c,
            $"accuracy gate (--precision auto, budget {screen.BudgetPoints:0.####} pt), measured here on CPU with ONNX Runtime on {data.Samples} {(data.Synthetic ? "synthetic samples (weaker than real data)" : "samples")} from {data.Source} in {screen.Seconds:0.#} s; cost and latency below are predicted per target:"));
        if (screen.Calibration is { } cal && cal.Source != data.Source)
        {
            Console.Out.WriteLine($"  int8/fp8 calibrated on {cal.Samples} {(cal.Synthetic ? "synthetic " : "")}samples from {cal.Source}");
        }
        foreach (var p in screen.Precisions)
        {
            var measured = p.Precision == "fp32" ? "reference"
                : p.Metrics.Count == 0 ? "not measured"
                : string.Join(", ", p.Metrics.Select(m => string.Create(c, $"{m.Metric} {m.ValuePercent:0.#####}% (drop {m.DropPoints:0.####} pt{(m.Gated ? "" : ", not gated")})")));
            var verdict = p.Passed ? "pass" : "FAIL";
            var table = p.Passed && p.TableFormat != p.Precision ? $" -> costed as {p.TableFormat}" : "";
            Console.Out.WriteLine($"  {p.Precision,-13}{verdict,-5} {measured}{(p.Emulated ? " [bf16 emulated in fp32]" : "")}{table}");
        }
        if (screen.Excluded.Count > 0)
        {
            Console.Out.WriteLine("excluded from the cost table:");
            foreach (var x in screen.Excluded)
            {
                Console.Out.WriteLine($"  {x.Precision}: {x.Reason}");
            }
        }
        foreach (var note in screen.Notes)
        {
            Console.Out.WriteLine($"  note: {note}");
        }
    }

    private sealed class ImmediateProgress(Action<string> report) : IProgress<string>
    {
        public void Report(string value) => report(value);
    }
}
