using System.CommandLine;
using Silica.Advisor;
using Silica.Advisor.Measurement;
using Silica.Advisor.Results;
using Silica.Hardware;
using Silica.Prediction;
using Spectre.Console;

namespace Silica.Cli.Commands.Compare;

/// <summary>
/// <c>silica compare [model] [--slo-p99 100ms] [--qps 200] [--targets ...] [--precision ...] [--claim ...]</c>: the main
/// job — which instance serves this model cheapest under the latency target, measured here and predicted elsewhere.
/// </summary>
internal static class CompareCommand
{
    /// <summary>The model compared when none is named.</summary>
    public const string DefaultModel = "zoo:resnet50";

    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = $"An .onnx file or zoo:NAME (default {DefaultModel})", Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => DefaultModel };
        var slo = new Option<string>("--slo-p99") { Description = "p99 latency bound per request, queueing included", DefaultValueFactory = _ => "100ms" };
        var qps = new Option<double>("--qps") { Description = "Requests per second to serve (one sample each)", DefaultValueFactory = _ => 200 };
        var targets = new Option<string?>("--targets") { Description = "Instance ids, id prefixes or device ids, comma-separated (e.g. inf2,g6,local); default: all" };
        var precision = new Option<string>("--precision") { Description = "Number formats to consider where supported (fp32,bf16,fp16,fp8,int8), or auto: keep only those whose accuracy, checked here on CPU, stays within --accuracy-budget", DefaultValueFactory = _ => "fp32,bf16,fp16" };
        var bind = new Option<string?>("--bind") { Description = "Sizes of non-batch symbolic dimensions, e.g. seq=128" };
        var catalogFiles = new Option<string[]>("--catalog") { Description = "User catalog files adding or overriding entries, what-if devices included (repeatable)" };
        var claims = new Option<string[]>("--claim") { Description = "A claim to check, e.g. \"inf2 halves cost vs g5\" (repeatable)" };
        var budget = new Option<string>("--measure-budget") { Description = "Time to measure the model here (0s: predict only)", DefaultValueFactory = _ => "30s" };
        var localPrice = new Option<double?>("--local-price") { Description = "USD per hour to charge for this machine so it is ranked" };
        var batch = new Option<string>("--batch") { Description = "Largest batch sizes the batcher may use", DefaultValueFactory = _ => "1,2,4,8,16,32,64" };
        var output = new Option<string>("--out") { Description = "Folder for results.json and report.html", DefaultValueFactory = _ => "silica-report" };
        var top = new Option<int>("--top") { Description = "Rows to print (all are in results.json)", DefaultValueFactory = _ => 30 };
        var all = new Option<bool>("--all") { Description = "Print every feasible instance x precision, not only the best per instance" };
        var llm = new Option<bool>("--llm") { Description = "The model is a decoder: rank by $ per 1M output tokens under TTFT/TPOT SLOs" };
        var sloTtft = new Option<string>("--slo-ttft") { Description = "With --llm: p99 time-to-first-token bound", DefaultValueFactory = _ => "500ms" };
        var sloTpot = new Option<string>("--slo-tpot") { Description = "With --llm: p99 time-per-output-token bound", DefaultValueFactory = _ => "50ms" };
        var promptLen = new Option<string>("--prompt-len") { Description = "With --llm: prompt tokens, e.g. 512 or 128-1024 (uniform)", DefaultValueFactory = _ => "512" };
        var outputLen = new Option<string>("--output-len") { Description = "With --llm: output tokens, e.g. 128 or 64-256 (uniform)", DefaultValueFactory = _ => "128" };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON instead of the table (results.json and report.html are still written)" };
        var accuracyBudget = new Option<string?>("--accuracy-budget") { Description = "With --precision auto: largest accuracy drop vs FP32 a precision may show, in percentage points (default 1%)" };
        var calibration = new Option<string?>("--calibration") { Description = "With --precision auto: calibration data for int8/fp8 (as for 'silica optimize'); default 8 synthetic samples, weaker evidence" };
        var evaluation = new Option<string?>("--evaluation") { Description = "With --precision auto: data the accuracy is measured on; default the calibration data, else 8 synthetic samples" };
        var preprocess = new Option<string?>("--preprocess") { Description = "With --precision auto: how images become tensors (imagenet, unit, ocr-rec)" };
        var command = new Command("compare", "Which instance, precision and batcher serve this model cheapest under a p99 SLO: measured here, predicted elsewhere, $ per 1M inferences")
        {
            model, slo, qps, targets, precision, bind, catalogFiles, claims, budget, localPrice, batch, output, top, all,
            llm, sloTtft, sloTpot, promptLen, outputLen, json, accuracyBudget, calibration, evaluation, preprocess,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(_ =>
        {
            var precisions = SplitList(parse.GetValue(precision));
            var auto = PrecisionAuto.IsAuto(precisions);
            var gate = new PrecisionAuto.Settings(parse.GetValue(accuracyBudget), parse.GetValue(calibration), parse.GetValue(evaluation), parse.GetValue(preprocess));
            if (!auto)
            {
                PrecisionAuto.RejectWithoutAuto(gate);
            }
            if (parse.GetValue(llm))
            {
                if (auto)
                {
                    throw new UsageException("--precision auto does not apply with --llm (decoders are not accuracy-checked here); name the formats");
                }
                return Task.FromResult(CompareLlmCommand.Run(new CompareLlmCommand.Settings(parse.GetValue(model)!,
                    parse.GetValue(sloTtft)!, parse.GetValue(sloTpot)!, parse.GetResult(qps) is { Implicit: false } ? parse.GetValue(qps) : null,
                    parse.GetValue(targets), parse.GetResult(precision) is { Implicit: false } ? parse.GetValue(precision) : null,
                    parse.GetValue(promptLen)!, parse.GetValue(outputLen)!, parse.GetValue(catalogFiles) ?? [], parse.GetValue(localPrice),
                    parse.GetValue(json), parse.GetValue(top)), ct));
            }
            var quiet = parse.GetValue(json);
            var catalog = CatalogLoader.LoadWithOverrides(parse.GetValue(catalogFiles) ?? []);
            var input = ModelInput.Resolve(parse.GetValue(model)!, Bindings.Parse(parse.GetValue(bind)));
            IReadOnlyList<NumericFormat> formats;
            Advisor.Results.AccuracyScreen? screen = null;
            if (auto)
            {
                (formats, screen) = PrecisionAuto.Run(input, gate, quiet);
            }
            else
            {
                formats = [.. precisions.Select(Precision.Parse).Distinct()];
            }
            var request = new CompareRequest
            {
                Model = input,
                Catalog = catalog,
                Qps = parse.GetValue(qps),
                SloP99 = Parsing.Duration(parse.GetValue(slo)!, "--slo-p99"),
                Targets = SplitList(parse.GetValue(targets)),
                Precisions = formats,
                AccuracyScreen = screen,
                BatchSizes = Parsing.IntList(parse.GetValue(batch)!, "--batch"),
                MeasureBudget = Parsing.Duration(parse.GetValue(budget)!, "--measure-budget"),
                LocalPricePerHour = parse.GetValue(localPrice),
                Claims = parse.GetValue(claims) ?? [],
            };
            request.Validate();
            var results = quiet ? Comparison.Run(request, null, ct) : RunWithProgress(request, ct);
            if (!results.Deployments.Any(d => d.Feasible))
            {
                // An impossible requirement is the user's to change: say so in one line, naming the closest miss.
                var closest = results.Deployments.FirstOrDefault(d => d.Reason?.Contains("SLO", StringComparison.Ordinal) == true) ?? results.Deployments.FirstOrDefault();
                throw new UsageException(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"no target can serve {request.Qps:0.##} requests/s at p99 <= {request.SloP99.TotalMilliseconds:0.###} ms") +
                    (closest is null ? "" : $" (e.g. {closest.InstanceId} {closest.Precision}: {closest.Reason})"));
            }
            var rows = parse.GetValue(top);
            var document = CompareResultsJson.Write(results);
            if (quiet)
            {
                Console.Out.WriteLine(document);
            }
            else
            {
                ComparePrinter.Print(results, rows < 1 ? 30 : rows, parse.GetValue(all));
            }
            var folder = parse.GetValue(output)!;
            Directory.CreateDirectory(folder);
            var jsonPath = Path.Combine(folder, "results.json");
            var htmlPath = Path.Combine(folder, "report.html");
            AtomicFile.WriteAllText(jsonPath, document);
            AtomicFile.WriteAllText(htmlPath, Advisor.Report.HtmlReport.Render(results));
            // With --json standard output carries the document alone.
            (quiet ? Console.Error : Console.Out).WriteLine($"wrote {jsonPath} and {htmlPath}");
            return Task.FromResult(0);
        }, ct));
        return command;
    }

    private static CompareResults RunWithProgress(CompareRequest request, CancellationToken ct)
    {
        CompareResults? results = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"compare {Markup.Escape(request.Model.Name)}", maxValue: 1);
                results = Comparison.Run(request, new Progress<CompareProgress>(p =>
                {
                    task.Description = Markup.Escape($"{request.Model.Name}: {p.Stage}");
                    task.Value = Math.Max(task.Value, p.Fraction);
                }), ct);
                task.Value = 1;
            });
        return results!;
    }

    private static List<string> SplitList(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
}
