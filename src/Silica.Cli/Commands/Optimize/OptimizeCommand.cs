using System.CommandLine;
using System.Text.Json;
using Silica.Optimization.Optimizer;
using Spectre.Console;

namespace Silica.Cli.Commands.Optimize;

/// <summary>
/// <c>silica optimize &lt;model&gt; --precision fp16|bf16|int8|int8-dynamic|fp8 -o out.onnx</c>: graph passes, conversion or
/// quantization, an accuracy gate against the original with mixed-precision fallback, and a measured speed-up.
/// </summary>
internal static class OptimizeCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "An .onnx file or a built-in model (zoo:mlp, zoo:resnet50, ...)" };
        var precision = new Option<string>("--precision") { Description = $"Target precision: {TargetPrecisions.Names}", Required = true };
        var output = new Option<string>("--output", "-o") { Description = "Where to write the optimized model (written to a temporary file, then renamed)", Required = true };
        var calibration = new Option<string?>("--calibration") { Description = "Calibration data for int8/fp8: a folder of .npy, .pb or images (one subfolder per sample for multi-input models), or synthetic[:N]. Default: synthetic:16, with a warning" };
        var evaluation = new Option<string?>("--evaluation") { Description = "Evaluation data for the accuracy gate (same forms as --calibration). Default: the calibration data" };
        var preprocess = new Option<string?>("--preprocess") { Description = "How images become tensors: imagenet (resize, [0,1], ImageNet mean/std, NCHW RGB), unit (resize, [0,1]) or ocr-rec (PaddleOCR recognizer: keep aspect, [-1,1], pad)" };
        var method = new Option<string>("--method") { Description = "Calibration method for int8/fp8: minmax | percentile | entropy", DefaultValueFactory = _ => "minmax" };
        var budget = new Option<string?>("--accuracy-budget") { Description = "Largest accuracy drop allowed, in percentage points (0.5%); when missed, the most sensitive layers stay in higher precision until it holds" };
        var keep = new Option<string?>("--keep-fp32-ops") { Description = "fp16/bf16: operator types kept in FP32, replacing the default list (e.g. Softmax,LayerNormalization,ReduceMean)" };
        var passes = new Option<string>("--passes") { Description = "Graph passes before conversion: default | none | a comma-separated list of pass names", DefaultValueFactory = _ => "default" };
        var bind = new Option<string?>("--bind") { Description = "Sizes of symbolic dimensions other than the batch, e.g. seq=128" };
        var json = new Option<string?>("--json") { Description = "Write the report as JSON to this file, or '-' for standard output (then no tables)" };
        var speedTime = new Option<string>("--speed-time") { Description = "Time to spend measuring the original and optimized model side by side (0 skips)", DefaultValueFactory = _ => "2s" };
        var seed = new Option<int>("--seed") { Description = "Seed for synthetic samples", DefaultValueFactory = _ => 1 };

        var command = new Command("optimize", "Convert a model to fp16/bf16/int8/fp8, check its accuracy against the original, and measure the speed-up")
        {
            model, precision, output, calibration, evaluation, preprocess, method, budget, keep, passes, bind, json, speedTime, seed,
        };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var options = new OptimizeOptions(
                parse.GetValue(model)!,
                OptimizeArguments.Precision(parse.GetValue(precision)),
                parse.GetValue(output)!,
                parse.GetValue(calibration),
                parse.GetValue(evaluation),
                OptimizeArguments.Preprocess(parse.GetValue(preprocess)),
                OptimizeArguments.Method(parse.GetValue(method)!),
                parse.GetValue(budget) is { } b ? OptimizeArguments.Budget(b) : null,
                OptimizeArguments.OpList(parse.GetValue(keep), "--keep-fp32-ops"),
                parse.GetValue(passes)!,
                Bindings.Parse(parse.GetValue(bind)),
                parse.GetValue(json),
                Parsing.Duration(parse.GetValue(speedTime)!, "--speed-time"),
                parse.GetValue(seed));
            var quiet = options.JsonPath == "-";
            var result = OptimizeRunner.Run(options, quiet);
            if (quiet)
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(OptimizeJson.From(result), OptimizeJsonContext.Default.OptimizeJson));
                return 0;
            }
            OptimizePrinter.Print(result);
            if (options.JsonPath is { } path)
            {
                AtomicFile.WriteAllText(path, JsonSerializer.Serialize(OptimizeJson.From(result), OptimizeJsonContext.Default.OptimizeJson));
                AnsiConsole.MarkupLine($"[grey]Report written to {Markup.Escape(path)}.[/]");
            }
            return 0;
        }));
        return command;
    }
}
