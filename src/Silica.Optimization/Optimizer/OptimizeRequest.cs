using Silica.Onnx.Graph;
using Silica.Optimization.Data;
using Silica.Optimization.Passes;

namespace Silica.Optimization.Optimizer;

/// <summary>What <see cref="ModelOptimizer"/> should do to a model.</summary>
public sealed record OptimizeRequest
{
    /// <summary>The model, with its weights. It is not changed; the optimizer works on a copy.</summary>
    public required OnnxModel Model { get; init; }

    /// <summary>The name to show in reports (<c>zoo:resnet50</c>, a file name).</summary>
    public required string ModelName { get; init; }

    /// <summary>The target number format.</summary>
    public required TargetPrecision Precision { get; init; }

    /// <summary>Where to write the optimized model (atomically: temporary file, then rename).</summary>
    public required string OutputPath { get; init; }

    /// <summary>Sizes of symbolic dimensions other than the batch (for shape passes and synthetic data).</summary>
    public IReadOnlyDictionary<string, long> Bindings { get; init; } = new Dictionary<string, long>();

    /// <summary>Graph passes to run first; null runs the default pipeline, an empty list none.</summary>
    public IReadOnlyList<IGraphPass>? Passes { get; init; }

    /// <summary>Calibration data for INT8 static and FP8; when null those precisions calibrate on synthetic samples and say so.</summary>
    public SampleSet? Calibration { get; init; }

    /// <summary>Evaluation data for the accuracy gate; when null the calibration set (or synthetic samples) is used and the report says so.</summary>
    public SampleSet? Evaluation { get; init; }

    /// <summary>How activation ranges are chosen (INT8 static, FP8): <c>minmax</c>, <c>percentile</c> or <c>entropy</c>.</summary>
    public string CalibrationMethod { get; init; } = "minmax";

    /// <summary>The largest accuracy drop allowed, as an absolute fraction (0.005 = half a point); null checks but does not enforce.</summary>
    public double? AccuracyBudget { get; init; }

    /// <summary>Operator types kept in FP32 by FP16/BF16 conversion; null keeps the converter's default list.</summary>
    public IReadOnlySet<string>? KeepFp32Ops { get; init; }

    /// <summary>Time spent measuring speed per model pair; <see cref="TimeSpan.Zero"/> skips the measurement.</summary>
    public TimeSpan SpeedBudget { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Seed for synthetic samples.</summary>
    public int Seed { get; init; } = 1;
}
