using System.Reflection;

namespace Silica.Benchmarking.Inference;

/// <summary>The version of the ONNX Runtime managed package in use, for the results' environment section.</summary>
public static class OnnxRuntimeInfo
{
    /// <summary>The informational version of Microsoft.ML.OnnxRuntime, or "unknown".</summary>
    public static string Version { get; } =
        typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
        ?? "unknown";
}
