using Silica.Onnx.Graph;
using Silica.Onnx.Serialization;
using Silica.Onnx.Zoo;

namespace Silica.Advisor.Measurement;

/// <summary>
/// A model as the commands take it: <c>zoo:NAME</c> or a file path, resolved to a runnable file, a weight-less graph
/// for costing, and the sizes of its non-batch symbolic dimensions (zoo defaults, overridden by the user's).
/// </summary>
/// <param name="Name">As the user wrote it.</param>
/// <param name="Path">A file with weights, for running (zoo models are built once into the cache).</param>
/// <param name="Graph">The graph without weight data, for shapes and costs.</param>
/// <param name="Bindings">Sizes of symbolic dimensions other than the batch.</param>
public sealed record ModelInput(string Name, string Path, OnnxModel Graph, IReadOnlyDictionary<string, long> Bindings)
{
    /// <summary>Resolves <paramref name="source"/>; <paramref name="bindings"/> override zoo defaults.</summary>
    /// <exception cref="ArgumentException">An unknown zoo name, a missing file, or <c>batch</c> among the bindings.</exception>
    /// <exception cref="Onnx.OnnxFormatException">The file is not a readable ONNX model.</exception>
    public static ModelInput Resolve(string source, IReadOnlyDictionary<string, long>? bindings = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var merged = new Dictionary<string, long>(bindings ?? new Dictionary<string, long>(), StringComparer.Ordinal);
        if (merged.ContainsKey("batch"))
        {
            throw new ArgumentException("the batch size is chosen per run; do not bind 'batch'");
        }
        if (ModelSource.IsZoo(source))
        {
            var name = source[ModelSource.ZooPrefix.Length..];
            var info = ModelZoo.Find(name) ?? throw new ArgumentException($"unknown zoo model '{name}'; known models: {ModelZoo.KnownNames}");
            foreach (var (k, v) in info.DefaultBindings)
            {
                if (k != "batch")
                {
                    merged.TryAdd(k, v);
                }
            }
            var graph = ModelZoo.Build(info.Name, new ZooBuildOptions { WithWeights = false });
            return new ModelInput(source, ModelZoo.GetOrCreateFile(info.Name), graph, merged);
        }
        if (!File.Exists(source))
        {
            throw new ArgumentException($"model file '{source}' does not exist (or use zoo:NAME; known: {ModelZoo.KnownNames})");
        }
        var model = OnnxModel.Load(source, new OnnxReadOptions { LoadExternalData = false });
        return new ModelInput(source, source, model, merged);
    }
}
