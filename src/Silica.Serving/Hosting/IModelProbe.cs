using Silica.Onnx.Graph;

namespace Silica.Serving.Hosting;

/// <summary>
/// The seam for checking an untrusted model before the server loads it into its own process (RELIABILITY row 27:
/// a model that crashes the native runtime must only kill a short-lived probe process). Called after Silica's own
/// parser accepted the file and before any backend session is created.
/// </summary>
/// <remarks>
/// Not implemented yet: the default (<see cref="TrustingModelProbe"/>) trusts every model that parses. A probe-process
/// implementation would load the model file with the backend in a child <c>silica</c> process and throw
/// when the child fails or dies.
/// </remarks>
public interface IModelProbe
{
    /// <summary>Checks the model; throws <see cref="Runtime.Backends.ModelLoadException"/> to refuse it.</summary>
    /// <param name="modelName">The model name, for messages.</param>
    /// <param name="modelPath">The model file, or null for a model that only exists in memory.</param>
    /// <param name="model">The parsed model.</param>
    /// <param name="backend">The backend that will run it.</param>
    void Probe(string modelName, string? modelPath, OnnxModel model, string backend);
}

/// <summary>Accepts every model: the in-process default until the probe process exists.</summary>
internal sealed class TrustingModelProbe : IModelProbe
{
    public static TrustingModelProbe Instance { get; } = new();

    public void Probe(string modelName, string? modelPath, OnnxModel model, string backend)
    {
    }
}
