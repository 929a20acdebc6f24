using System.Globalization;
using Silica.Onnx.Model;

namespace Silica.Optimization.Precision;

/// <summary>A node left in FP32, and why.</summary>
/// <param name="Node">The node's name.</param>
/// <param name="OpType">Its operator type.</param>
/// <param name="Reason">Why it stayed: "in the keep list", "decomposed LayerNorm", "kept by name", "no half-precision form", …</param>
public sealed record KeptNode(string Node, string OpType, string Reason);

/// <summary>What <see cref="HalfPrecisionConverter.Convert"/> changed.</summary>
/// <param name="Target">The half type converted to.</param>
/// <param name="ConvertedOps">Nodes now computing in the target type, counted by op type.</param>
/// <param name="Kept">Float nodes left in FP32, each with its reason.</param>
/// <param name="CastsInserted">Cast nodes added at the boundaries between FP32 and half regions and at graph inputs and outputs.</param>
/// <param name="InitializersConverted">Float initializers stored in the target type (a shared one may also keep an FP32 copy).</param>
/// <param name="ValuesClamped">Weight values outside the target's finite range, clamped to its largest finite value.</param>
/// <param name="SizeBeforeBytes">Bytes of all initializers before.</param>
/// <param name="SizeAfterBytes">Bytes of all initializers after.</param>
public sealed record ConversionReport(
    TensorDataType Target,
    IReadOnlyDictionary<string, int> ConvertedOps,
    IReadOnlyList<KeptNode> Kept,
    int CastsInserted,
    int InitializersConverted,
    long ValuesClamped,
    long SizeBeforeBytes,
    long SizeAfterBytes)
{
    /// <summary>Nodes converted in total.</summary>
    public int ConvertedNodes => ConvertedOps.Values.Sum();

    /// <summary>One-line summary for logs and the CLI.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Target.DisplayName()}: {ConvertedNodes} node(s) converted, {Kept.Count} kept in float, {CastsInserted} Cast(s) inserted, initializers {SizeBeforeBytes / 1048576.0:F1} MiB -> {SizeAfterBytes / 1048576.0:F1} MiB");
}
