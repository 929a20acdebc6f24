using Silica.Onnx.Graph;
using Silica.Optimization.Accuracy;
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
    /// <summary>Synthetic samples made when a precision needs calibration or evaluation data and none was given.</summary>
    public const int SyntheticFallbackCount = 16;

    private static readonly IReadOnlySet<string> NoNodes = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Optimizes <see cref="OptimizeRequest.Model"/> and writes it to <see cref="OptimizeRequest.OutputPath"/>.</summary>
    /// <param name="request">What to do.</param>
    /// <param name="progress">Receives stage changes and per-sample progress of calibration.</param>
    /// <exception cref="SampleDataException">Calibration or evaluation data that does not fit the model.</exception>
    /// <exception cref="UnauthorizedAccessException">The output cannot be written (checked before any work).</exception>
    /// <exception cref="DirectoryNotFoundException">The output's folder does not exist.</exception>
    public static OptimizeResult Run(OptimizeRequest request, IProgress<OptimizeProgress>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.AccuracyBudget is { } budget && (!double.IsFinite(budget) || budget < 0 || budget > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(request), budget, "the accuracy budget is a fraction from 0 to 1 (0.005 = half a point)");
        }
        ModelFileWriter.EnsureWritable(request.OutputPath);
        var notes = new List<string>();
        var originalBytes = request.Model.ToBytes();
        var original = OnnxModel.Load(originalBytes);

        // Data first: a bad folder should fail in a second, not after the passes.
        var calibration = CalibrationData(request, notes);
        var evaluation = EvaluationData(request, calibration, notes);
        var metrics = request.Metrics is { Count: > 0 } m ? m : AccuracyGate.DefaultMetrics(original);

        progress?.Report(new OptimizeProgress("graph passes", 0, 1));
        var passed = OnnxModel.Load(originalBytes);
        var passReports = PassPipeline.Run(passed, request.Passes ?? PassPipeline.Default);
        var passedBytes = passed.ToBytes();

        var candidate = BuildCandidate(passedBytes, request, calibration, NoNodes, progress);
        progress?.Report(new OptimizeProgress("evaluating", 0, 1));
        var accuracy = Evaluate(original, passedBytes, candidate, request, evaluation, metrics, NoNodes);
        MixedPrecisionSummary? fallback = null;
        if (request.AccuracyBudget is { } b && !MeetsBudget(accuracy, b))
        {
            (candidate, accuracy, fallback) = FallBack(original, passedBytes, candidate, request, calibration, evaluation, metrics, b, progress);
        }
        notes.AddRange(candidate.Notes);

        progress?.Report(new OptimizeProgress("writing", 0, 1));
        var bytes = candidate.Model.ToBytes();
        ModelFileWriter.Write(bytes, request.OutputPath);

        var (speed, notMeasured) = MeasureSpeed(original, candidate.Model, request, evaluation, progress);
        if (speed is not null && request.Precision == TargetPrecision.Fp8)
        {
            notes.Add("the FP8 model was timed with ONNX Runtime's 'basic' graph optimizations (its CPU fusions mishandle float8) and no FP8 kernels: CPU speed says little about FP8 hardware");
        }
        return new OptimizeResult
        {
            Model = request.ModelName,
            Precision = request.Precision,
            OutputPath = request.OutputPath,
            BytesBefore = originalBytes.LongLength,
            BytesAfter = bytes.LongLength,
            Passes = passReports,
            Converted = candidate.Converted,
            Kept = candidate.Kept,
            Calibration = calibration is null ? null : Describe(calibration),
            Accuracy = new AccuracySummary(accuracy.Scores, Describe(evaluation), request.AccuracyBudget,
                request.AccuracyBudget is { } budgetSet ? MeetsBudget(accuracy, budgetSet) : null, request.Precision == TargetPrecision.Bf16),
            MixedPrecision = fallback,
            Speed = speed,
            SpeedNotMeasured = notMeasured,
            Notes = notes,
        };
    }

    private static DataSummary Describe(SampleSet set) => new(set.Source, set.Samples.Count, set.IsSynthetic);
}
