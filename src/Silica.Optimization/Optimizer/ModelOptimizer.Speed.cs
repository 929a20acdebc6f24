using Silica.Onnx.Graph;
using Silica.Optimization.Data;
using Silica.Runtime.Backends;

namespace Silica.Optimization.Optimizer;

public static partial class ModelOptimizer
{
    private static (SpeedComparison? Speed, string? NotMeasured) MeasureSpeed(OnnxModel original, OnnxModel optimized, OptimizeRequest request,
        SampleSet evaluation, IProgress<OptimizeProgress>? progress)
    {
        if (request.Precision == TargetPrecision.Bf16)
        {
            return (null, "ONNX Runtime's CPU provider has no BF16 kernels, so a BF16 model's speed cannot be measured on this machine; measure it on a backend with BF16 (silica bench --backend cuda --precision bf16)");
        }
        if (request.SpeedBudget <= TimeSpan.Zero)
        {
            return (null, "skipped (--speed-time 0)");
        }
        progress?.Report(new OptimizeProgress("measuring speed", 0, 1));
        try
        {
            return (SpeedMeter.Compare(original, optimized, evaluation.Samples[0], request.SpeedBudget), null);
        }
        catch (Exception e) when (e is ModelLoadException or InferenceException or InvalidInputException or ArgumentException)
        {
            // The model is written and its accuracy known; a model the CPU backend cannot time is a fact to report, not a failure.
            return (null, $"the cpu backend could not time it: {e.Message.ReplaceLineEndings(" ")}");
        }
    }
}
