using Silica.Advisor.Measurement;
using Silica.Onnx.Graph;
using Silica.Optimization.Data;
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
            var calibration = options.Calibration is { } c ? SampleSource.Load(c, inputs, bindings, options.Preprocess, options.Seed) : null;
            var evaluation = options.Evaluation is { } e ? SampleSource.Load(e, inputs, bindings, options.Preprocess, options.Seed + 1) : null;
            var request = new OptimizeRequest
            {
                Model = model,
                ModelName = options.Model,
                Precision = options.Precision,
                OutputPath = options.OutputPath,
                Bindings = bindings,
                Passes = OptimizePasses.Resolve(options.Passes),
                Calibration = calibration,
                Evaluation = evaluation,
                CalibrationMethod = options.Method,
                AccuracyBudget = options.Budget,
                KeepFp32Ops = options.KeepFp32Ops,
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
