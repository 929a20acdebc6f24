using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Silica.Advisor.Measurement;
using Silica.Advisor.Predicting;
using Silica.Hardware;
using Silica.Prediction;
using Spectre.Console;

namespace Silica.Cli.Commands.Predict;

/// <summary>
/// <c>silica predict &lt;model&gt; --target inf2.xlarge --batch 8 [--precision bf16] [--bind seq=128] [--json]</c>: one
/// prediction with its band and basis.
/// </summary>
internal static class PredictCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "An .onnx file or zoo:NAME" };
        var target = new Option<string>("--target") { Description = "Catalog instance id (see 'silica catalog')", Required = true };
        var batch = new Option<int>("--batch") { Description = "Samples per run", DefaultValueFactory = _ => 1 };
        var precision = new Option<string>("--precision") { Description = "fp32, bf16, fp16, fp8 or int8", DefaultValueFactory = _ => "fp32" };
        var bind = new Option<string?>("--bind") { Description = "Sizes of non-batch symbolic dimensions, e.g. seq=128" };
        var catalogFiles = new Option<string[]>("--catalog") { Description = "User catalog files (what-if devices included)" };
        var calibrate = new Option<string>("--calibrate") { Description = "For --target local: measure the model here for this long first and calibrate", DefaultValueFactory = _ => "0s" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of text" };
        var llm = new Option<bool>("--llm") { Description = "The model is a decoder: predict TTFT and TPOT of a generation batch" };
        var promptLen = new Option<int>("--prompt-len") { Description = "With --llm: prompt tokens per sequence", DefaultValueFactory = _ => 512 };
        var outputLen = new Option<int>("--output-len") { Description = "With --llm: output tokens per sequence", DefaultValueFactory = _ => 128 };
        var tp = new Option<int?>("--tp") { Description = "With --llm: tensor-parallel degree (default: the smallest that fits)" };
        var command = new Command("predict", "Predict latency per batch and instance throughput on a target, with its uncertainty band and basis")
        {
            model, target, batch, precision, bind, catalogFiles, calibrate, json, llm, promptLen, outputLen, tp,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(_ =>
        {
            if (parse.GetValue(llm))
            {
                return Task.FromResult(PredictLlmCommand.Run(new PredictLlmCommand.Settings(parse.GetValue(model)!, parse.GetValue(target)!,
                    parse.GetValue(batch), parse.GetValue(promptLen), parse.GetValue(outputLen),
                    parse.GetResult(precision) is { Implicit: false } ? parse.GetValue(precision) : null, parse.GetValue(tp),
                    parse.GetValue(catalogFiles) ?? [], parse.GetValue(json))));
            }
            var b = parse.GetValue(batch);
            if (b < 1)
            {
                throw new UsageException($"--batch must be at least 1 (got {b})");
            }
            var catalog = CatalogLoader.LoadWithOverrides(parse.GetValue(catalogFiles) ?? []);
            var input = ModelInput.Resolve(parse.GetValue(model)!, Bindings.Parse(parse.GetValue(bind)));
            var result = InstancePredictor.Predict(catalog, input, parse.GetValue(target)!, b, Precision.Parse(parse.GetValue(precision)!),
                Parsing.Duration(parse.GetValue(calibrate)!, "--calibrate"));
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(Json(result, input.Name), new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                Print(result, input.Name);
            }
            return Task.FromResult(0);
        }, ct));
        return command;
    }

    private static object Json(InstancePrediction p, string model) => new
    {
        kind = "predicted",
        model,
        target = p.InstanceId,
        layout = p.Layout,
        replicas = p.Replicas,
        batch = p.Latency.Batch,
        precision = Precision.Name(p.Latency.Precision),
        latencyMs = p.Latency.Seconds * 1e3,
        latencyLowMs = p.Latency.LowSeconds * 1e3,
        latencyHighMs = p.Latency.HighSeconds * 1e3,
        samplesPerSecond = p.SamplesPerSecond,
        samplesPerSecondLow = p.SamplesPerSecondLow,
        samplesPerSecondHigh = p.SamplesPerSecondHigh,
        memoryRequiredBytes = p.Latency.Memory.RequiredBytes,
        memoryAvailableBytes = p.Latency.Memory.AvailableBytes,
        msByOpClass = p.Latency.SecondsByOpClass.ToDictionary(kv => kv.Key, kv => kv.Value * 1e3),
        basis = p.Latency.Basis,
        band = "90% interval",
    };

    private static void Print(InstancePrediction p, string model)
    {
        var c = CultureInfo.InvariantCulture;
        var l = p.Latency;
        Console.Out.WriteLine(string.Create(c, $"{model} on {p.InstanceId} ({p.Replicas} replica{(p.Replicas == 1 ? "" : "s")} of {p.Layout}), batch {l.Batch}, {Precision.Name(l.Precision)} — predicted"));
        Console.Out.WriteLine(string.Create(c, $"  latency per batch: {l.Seconds * 1e3:0.###} ms (90% band {l.LowSeconds * 1e3:0.###}-{l.HighSeconds * 1e3:0.###} ms)"));
        Console.Out.WriteLine(string.Create(c, $"  instance throughput: {p.SamplesPerSecond:0.#} samples/s (band {p.SamplesPerSecondLow:0.#}-{p.SamplesPerSecondHigh:0.#}), all replicas busy"));
        Console.Out.WriteLine(string.Create(c, $"  memory per replica: needs {l.Memory.RequiredBytes / (1 << 20):0} MiB") +
            (l.Memory.AvailableBytes is { } a ? string.Create(c, $" of {a / (1 << 30):0.#} GiB") : ""));
        var total = l.SecondsByOpClass.Values.Sum();
        var top = l.SecondsByOpClass.OrderByDescending(kv => kv.Value).Take(5).Select(kv => string.Create(c, $"{kv.Key} {100 * kv.Value / total:0}%"));
        Console.Out.WriteLine($"  where the time goes: {string.Join(", ", top)}");
        Console.Out.WriteLine($"  basis: {Markup.Remove(l.Basis)}");
    }
}
