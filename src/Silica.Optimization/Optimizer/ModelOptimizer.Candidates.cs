using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Optimization.Accuracy;
using Silica.Optimization.Data;
using Silica.Optimization.Precision;
using Silica.Optimization.Quantization;

namespace Silica.Optimization.Optimizer;

public static partial class ModelOptimizer
{
    /// <summary>Converts a fresh copy of the passed model; <paramref name="keepNodes"/> stay in FP32 (the fallback's choice).</summary>
    private static Candidate BuildCandidate(byte[] passedBytes, OptimizeRequest request, SampleSet? calibration,
        IReadOnlySet<string> keepNodes, IProgress<OptimizeProgress>? progress)
    {
        var model = OnnxModel.Load(passedBytes);
        if (request.Precision is TargetPrecision.Fp16 or TargetPrecision.Bf16)
        {
            var target = request.Precision == TargetPrecision.Fp16 ? TensorDataType.Float16 : TensorDataType.BFloat16;
            var report = HalfPrecisionConverter.Convert(model, new HalfPrecisionOptions(target, request.KeepFp32Ops, keepNodes));
            var notes = new List<string>();
            if (report.ValuesClamped > 0)
            {
                notes.Add($"{report.ValuesClamped} weight value(s) beyond the {target.DisplayName()} range were clamped to its largest finite value");
            }
            return new Candidate(model,
                [.. report.ConvertedOps.Select(kv => new ConvertedOps(kv.Key, kv.Value, target.DisplayName()))],
                [.. report.Kept.Select(k => new NodeDecision(k.Node, k.OpType, k.Reason))],
                notes);
        }
        var mode = request.Precision switch
        {
            TargetPrecision.Int8 => QuantizationMode.Int8Static,
            TargetPrecision.Int8Dynamic => QuantizationMode.Int8Dynamic,
            _ => QuantizationMode.Fp8,
        };
        var options = new QuantizationOptions(mode, request.CalibrationMethod, request.Percentile, keepNodes);
        var total = Math.Max(1, (calibration?.Samples.Count ?? 0) * options.CalibrationPasses);
        var runs = progress is null ? null : new ImmediateProgress<int>(n => progress.Report(new OptimizeProgress(
            options.CalibrationPasses > 1 ? $"calibrating ({options.CalibrationPasses} passes: ranges, then histograms)" : "calibrating", Math.Min(n, total), total)));
        var q = Quantizer.Quantize(model, options, mode == QuantizationMode.Int8Dynamic ? null : calibration, runs);
        return new Candidate(model,
            [.. q.Quantized.GroupBy(n => (n.OpType, n.Form)).Select(g => new ConvertedOps(g.Key.OpType, g.Count(), g.Key.Form))],
            [.. q.Skipped.Select(s => new NodeDecision(s.Node, s.OpType, SkipText(s)))],
            q.Notes);
    }

    private static string SkipText(SkippedNode s)
    {
        var reason = s.Reason switch
        {
            SkipReason.NotQuantizable => "not quantized by this mode",
            SkipReason.UnsupportedInputs => "inputs cannot be quantized",
            SkipReason.Excluded => "kept for accuracy",
            _ => s.Reason.ToString(),
        };
        return string.IsNullOrEmpty(s.Detail) ? reason : $"{reason}: {s.Detail}";
    }

    /// <summary>Scores a candidate against the original (not the passed model, so pass errors count too).</summary>
    private static AccuracyReport Evaluate(OnnxModel original, byte[] passedBytes, Candidate candidate, OptimizeRequest request,
        SampleSet evaluation, IReadOnlyList<IAccuracyMetric> metrics, IReadOnlySet<string> keepNodes)
    {
        var evaluated = request.Precision == TargetPrecision.Bf16 ? Emulate(passedBytes, request, keepNodes) : candidate.Model;
        return AccuracyGate.Evaluate(original, evaluated, evaluation, metrics);
    }

    /// <summary>
    /// ONNX Runtime's CPU provider has no BF16 kernels, so BF16 accuracy comes from an FP32 model that rounds to BF16
    /// wherever the real conversion computes in BF16 (same plan, same kept nodes).
    /// </summary>
    private static OnnxModel Emulate(byte[] passedBytes, OptimizeRequest request, IReadOnlySet<string> keepNodes)
    {
        var model = OnnxModel.Load(passedBytes);
        BFloat16Emulation.Apply(model, new HalfPrecisionOptions(TensorDataType.BFloat16, request.KeepFp32Ops, keepNodes));
        return model;
    }

    private sealed record Candidate(OnnxModel Model, IReadOnlyList<ConvertedOps> Converted, IReadOnlyList<NodeDecision> Kept, IReadOnlyList<string> Notes);

    /// <summary>Reports on the calling thread, in order.</summary>
    private sealed class ImmediateProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
