using System.Collections.Frozen;
using Silica.Onnx.Model;

namespace Silica.Optimization.Precision;

/// <summary>How <see cref="HalfPrecisionConverter"/> converts a model to FP16 or BF16.</summary>
/// <param name="Target"><see cref="TensorDataType.Float16"/> or <see cref="TensorDataType.BFloat16"/>.</param>
/// <param name="KeepOpTypes">
/// Operator types that stay in FP32, with their inputs cast up and outputs cast down; null means
/// <see cref="DefaultKeepOpTypes"/>. To edit the default, copy it:
/// <c>new HashSet&lt;string&gt;(HalfPrecisionOptions.DefaultKeepOpTypes) { "Sigmoid" }</c>. The pseudo op type
/// <see cref="DecomposedLayerNorm"/> keeps LayerNorm written out as ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div, and
/// RMSNorm written out as Pow/ReduceMean/Add/Sqrt/Reciprocal/Mul.
/// </param>
/// <param name="KeepNodes">Names of nodes kept in FP32 whatever their op type (the mixed-precision fallback's choice).</param>
/// <param name="KeepIoTypes">True (default): graph inputs and outputs keep their FP32 type, with Casts at the edges.</param>
public sealed record HalfPrecisionOptions(
    TensorDataType Target,
    IReadOnlySet<string>? KeepOpTypes = null,
    IReadOnlySet<string>? KeepNodes = null,
    bool KeepIoTypes = true)
{
    /// <summary>The pseudo op type that names the decomposed LayerNorm (and RMSNorm) pattern in <see cref="KeepOpTypes"/>.</summary>
    public const string DecomposedLayerNorm = "DecomposedLayerNorm";

    /// <summary>
    /// Operators whose half-precision results lose too much: normalizations and softmax (sums of many
    /// exponentials or squares), reductions, Exp and Pow (overflow above 65504 in FP16), and Resize
    /// (its coordinate arithmetic). Integer and shape operators are never converted, whatever this list says.
    /// </summary>
    public static IReadOnlySet<string> DefaultKeepOpTypes { get; } = new[]
    {
        "Softmax", "LogSoftmax", "LayerNormalization", DecomposedLayerNorm,
        "ReduceMean", "ReduceSum", "ReduceSumSquare", "ReduceL1", "ReduceL2", "ReduceLogSum", "ReduceLogSumExp", "ReduceProd",
        "Exp", "Pow", "Resize", "Upsample", "CumSum", "Range",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>The keep list in force: <see cref="KeepOpTypes"/>, or the default when null.</summary>
    public IReadOnlySet<string> EffectiveKeepOpTypes => KeepOpTypes ?? DefaultKeepOpTypes;
}
