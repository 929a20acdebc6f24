using Silica.Onnx.Graph;
using Silica.Onnx.Serialization;

namespace Silica.Onnx.Zoo;

/// <summary>
/// Resolves what a user types where a model is expected: <c>zoo:NAME</c> for a built-in model, anything
/// else a path to an <c>.onnx</c> file.
/// </summary>
public static class ModelSource
{
    /// <summary>The prefix that selects a zoo model.</summary>
    public const string ZooPrefix = "zoo:";

    /// <summary>True when <paramref name="spec"/> names a zoo model (<c>zoo:NAME</c>, prefix in any case).</summary>
    public static bool IsZoo(string spec) => spec.StartsWith(ZooPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>Opens a zoo model or a model file.</summary>
    /// <param name="spec"><c>zoo:NAME</c> or a file path.</param>
    /// <param name="withWeights">
    /// False builds a zoo model without weight data, and leaves a file's external data unread; enough for
    /// inspection, cost and prediction, not for running.
    /// </param>
    /// <exception cref="ArgumentException">The spec is empty or names no zoo model (the message lists the known ones).</exception>
    /// <exception cref="OnnxFormatException">The file is missing or is not a valid ONNX model.</exception>
    public static OnnxModel Open(string spec, bool withWeights = true)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            throw new ArgumentException($"no model given; pass a path to an .onnx file or zoo:NAME ({ModelZoo.KnownNames})", nameof(spec));
        }
        if (IsZoo(spec))
        {
            return ModelZoo.Build(spec[ZooPrefix.Length..].Trim(), new ZooBuildOptions { WithWeights = withWeights });
        }
        if (!File.Exists(spec) && ModelZoo.Find(spec) is { } info)
        {
            // A bare zoo name is the likeliest slip; say what to type instead of "file not found".
            throw new OnnxFormatException($"model file not found: '{spec}' (for the built-in model write zoo:{info.Name})");
        }
        return OnnxModel.Load(spec, new OnnxReadOptions { LoadExternalData = withWeights });
    }
}
