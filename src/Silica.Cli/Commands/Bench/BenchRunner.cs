using System.Security.Cryptography;
using Silica.Advisor.Measurement;
using Silica.Benchmarking.Inference;
using Silica.Onnx.Cost;
using Silica.Onnx.Graph;
using Silica.Onnx.ShapeInference;
using Silica.Onnx.Zoo;
using Silica.Runtime.Backends;
using Spectre.Console;

namespace Silica.Cli.Commands.Bench;

/// <summary>Resolves the model and backend for a bench request and runs it with a progress bar.</summary>
internal static class BenchRunner
{
    public static async Task<BenchReport> RunAsync(BenchRequest request, CancellationToken cancellationToken)
    {
        var backend = BackendRegistry.Default.Get(request.Backend);
        if (request.Bindings.ContainsKey("batch"))
        {
            throw new UsageException("set the batch size with --batch, not --bind batch=...");
        }
        var input = AnsiConsole.Status().Start($"Resolving {request.Model} (zoo models are built once and cached)...",
            _ => ModelInput.Resolve(request.Model, request.Bindings));
        if (!ModelSource.IsZoo(request.Model))
        {
            var support = backend.CanRun(input.Graph);
            if (!support.IsSupported)
            {
                throw new ArgumentException($"backend '{backend.Name}' cannot run '{Path.GetFileName(input.Path)}': {support.Reason}");
            }
        }
        var (path, graph) = (input.Path, input.Graph);
        var bindings = new Dictionary<string, long>(input.Bindings);
        var model = Describe(request.Model, path, graph, bindings);
        var options = request.Options with { Bindings = bindings };
        options.Validate();

        BenchReport? report = null;
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .StartAsync(async ctx =>
            {
                var total = options.ThreadCounts.Count * options.BatchSizes.Count;
                var task = ctx.AddTask($"bench {Markup.Escape(request.Model)}", maxValue: total);
                var progress = new Progress<BenchProgress>(p =>
                {
                    task.Description = $"{Markup.Escape(request.Model)}: {Markup.Escape(p.Description)}";
                    if (p.Finished)
                    {
                        task.Increment(1);
                    }
                });
                report = await InferenceBenchmark.RunAsync(backend, path, graph, model, options, progress, cancellationToken).ConfigureAwait(false);
                task.Value = total;
            }).ConfigureAwait(false);
        return report!;
    }

    private static BenchModel Describe(string name, string path, OnnxModel graph, IReadOnlyDictionary<string, long> bindings)
    {
        string hash;
        using (var stream = File.OpenRead(path))
        {
            hash = Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        // FLOPs per sample: counted on a private copy bound at batch 1 (the graph stays symbolic for the run).
        var copy = OnnxModel.Load(graph.ToBytes());
        var symbols = copy.Graph.SymbolicDimensions();
        var perSample = new Dictionary<string, long>(bindings.Where(kv => symbols.Contains(kv.Key)));
        if (symbols.Count > 0 && !bindings.ContainsKey(symbols[0]))
        {
            perSample[symbols[0]] = 1; // the leading symbol is the batch
        }
        ShapeInferencer.Infer(copy, perSample);
        var cost = CostModel.Analyze(copy);
        return new BenchModel(name, hash, cost.UnknownNodes == 0 ? cost.Flops : null, cost.ParameterCount);
    }
}
