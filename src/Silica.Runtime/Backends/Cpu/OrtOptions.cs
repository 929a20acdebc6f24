using Microsoft.ML.OnnxRuntime;
using OrtSessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;

namespace Silica.Runtime.Backends.Cpu;

/// <summary>Maps Silica's <see cref="SessionOptions"/> onto ONNX Runtime's.</summary>
internal static class OrtOptions
{
    public static OrtSessionOptions Create(SessionOptions options)
    {
        var o = new OrtSessionOptions();
        try
        {
            o.IntraOpNumThreads = options.IntraOpThreads;
            o.InterOpNumThreads = options.InterOpThreads;
            o.GraphOptimizationLevel = options.GraphOptimization switch
            {
                GraphOptimization.Disabled => GraphOptimizationLevel.ORT_DISABLE_ALL,
                GraphOptimization.Basic => GraphOptimizationLevel.ORT_ENABLE_BASIC,
                GraphOptimization.Extended => GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
                _ => GraphOptimizationLevel.ORT_ENABLE_ALL,
            };
            o.ExecutionMode = options.ExecutionMode == ExecutionMode.Parallel
                ? Microsoft.ML.OnnxRuntime.ExecutionMode.ORT_PARALLEL
                : Microsoft.ML.OnnxRuntime.ExecutionMode.ORT_SEQUENTIAL;
            // Warnings (e.g. unused initializers) would go to stderr of a CLI; errors reach the caller as exceptions.
            o.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
            if (!options.AllowSpinning)
            {
                o.AddSessionConfigEntry("session.intra_op.allow_spinning", "0");
                o.AddSessionConfigEntry("session.inter_op.allow_spinning", "0");
            }
            foreach (var (name, value) in options.DimensionBindings)
            {
                o.AddFreeDimensionOverrideByName(name, value);
            }
            return o;
        }
        catch
        {
            o.Dispose();
            throw;
        }
    }
}
