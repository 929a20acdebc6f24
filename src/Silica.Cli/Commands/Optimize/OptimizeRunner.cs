using Silica.Advisor.Measurement;
using Silica.Onnx.Graph;
using Silica.Optimization.Accuracy;
using Silica.Optimization.Data;
using Silica.Optimization.Ocr;
using Silica.Optimization.Optimizer;
using Spectre.Console;

namespace Silica.Cli.Commands.Optimize;

/// <summary>Resolves the model and data of an optimize invocation and runs <see cref="ModelOptimizer"/> with a progress bar.</summary>
internal static class OptimizeRunner
{
    public static OptimizeResult Run(OptimizeOptions options, bool quiet)
    {
        if (options.Bindings.ContainsKey("batch"))
        {
            throw new UsageException("samples carry their own batch size; do not --bind batch");
        }
        var passes = OptimizePasses.Resolve(options.Passes);
        // Fail on an unwritable destination before minutes of calibration, not after.
        ModelFileWriter.EnsureWritable(options.OutputPath);
        var input = ModelInput.Resolve(options.Model, options.Bindings);
        if (Path.GetFullPath(input.Path) == Path.GetFullPath(options.OutputPath))
        {
            throw new UsageException($"-o '{options.OutputPath}' is the input model; write the optimized model to another file");
        }
        var model = OnnxModel.Load(input.Path);
        var inputs = ModelInputs.Of(model);
        var bindings = new Dictionary<string, long>(input.Bindings);
        try
        {
            // Different seeds: rendered or synthetic evaluation samples must not be the calibration samples again.
            var calibration = options.Calibration is { } c ? SampleSource.Load(c, inputs, bindings, options.Preprocess, options.Seed, options.OcrFont) : null;
            var evaluation = options.Evaluation is { } e ? SampleSource.Load(e, inputs, bindings, options.Preprocess, options.Seed + 1000, options.OcrFont) : null;
            var request = new OptimizeRequest
            {
                Model = model,
                ModelName = options.Model,
                Precision = options.Precision,
                OutputPath = options.OutputPath,
                Bindings = bindings,
                Passes = passes,
                Calibration = calibration,
                Evaluation = evaluation,
                CalibrationMethod = options.Method,
                AccuracyBudget = options.Budget,
                KeepFp32Ops = options.KeepFp32Ops,
                Metrics = TaskMetrics(options, input.Path, evaluation ?? calibration),
                SpeedBudget = options.SpeedTime,
                Seed = options.Seed,
            };
            return quiet ? ModelOptimizer.Run(request) : RunWithProgress(request);
        }
        catch (SampleDataException ex)
        {
            throw new UsageException(ex.Message);
        }
    }

    /// <summary>
    /// Character accuracy (then cosine similarity) when the evaluation set is rendered OCR lines, which carry labels;
    /// null lets the optimizer pick by the model's outputs.
    /// </summary>
    private static IReadOnlyList<IAccuracyMetric>? TaskMetrics(OptimizeOptions options, string modelPath, SampleSet? evaluation)
    {
        var spec = options.Evaluation ?? options.Calibration;
        if (!OcrLines.IsOcrLines(spec) || evaluation is null)
        {
            return null;
        }
        var dictionary = options.OcrDictionary ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".", OcrModelSet.DictionaryFile);
        if (!File.Exists(dictionary))
        {
            throw new UsageException($"scoring ocr-lines needs the recognizer's character dictionary; '{dictionary}' does not exist (pass --ocr-dictionary)");
        }
        return [new CharacterAccuracyMetric(OcrDictionary.Load(dictionary)), new CosineSimilarityMetric()];
    }

    private static OptimizeResult RunWithProgress(OptimizeRequest request)
    {
        OptimizeResult? result = null;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask($"optimize {Markup.Escape(request.ModelName)} to {request.Precision.Name()}", maxValue: 1);
                var progress = new ImmediateProgress<OptimizeProgress>(p =>
                {
                    task.Description = $"{Markup.Escape(request.ModelName)}: {Markup.Escape(p.Stage)}";
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                });
                result = ModelOptimizer.Run(request, progress);
                task.Value = task.MaxValue;
            });
        return result!;
    }

    /// <summary>Reports on the calling thread, in order (<see cref="Progress{T}"/> posts to the thread pool and can reorder).</summary>
    private sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
