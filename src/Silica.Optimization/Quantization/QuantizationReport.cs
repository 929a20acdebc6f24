namespace Silica.Optimization.Quantization;

/// <summary>What the quantizer did to a model.</summary>
/// <param name="Mode">The mode used.</param>
/// <param name="Quantized">The nodes now computed in the lower precision.</param>
/// <param name="Skipped">The nodes left as they were, each with the reason.</param>
/// <param name="Scales">The scale (and zero point) chosen for every activation tensor quantized.</param>
/// <param name="BytesBefore">Size of the model's weights before.</param>
/// <param name="BytesAfter">Size of the model's weights after.</param>
/// <param name="Notes">Facts a reader needs (calibration data was synthetic, the opset was raised...).</param>
public sealed record QuantizationReport(
    QuantizationMode Mode,
    IReadOnlyList<QuantizedNode> Quantized,
    IReadOnlyList<SkippedNode> Skipped,
    IReadOnlyList<TensorScale> Scales,
    long BytesBefore,
    long BytesAfter,
    IReadOnlyList<string> Notes);

/// <summary>A node the quantizer rewrote.</summary>
/// <param name="Node">The node's name.</param>
/// <param name="OpType">Its operator.</param>
/// <param name="Form">How it now runs, e.g. <c>QDQ int8 (per-channel weights, axis 0)</c>.</param>
public sealed record QuantizedNode(string Node, string OpType, string Form);

/// <summary>A node the quantizer left in its original precision.</summary>
/// <param name="Node">The node's name.</param>
/// <param name="OpType">Its operator.</param>
/// <param name="Reason">Why.</param>
/// <param name="Detail">Specifics, e.g. "weight is not a constant".</param>
public sealed record SkippedNode(string Node, string OpType, SkipReason Reason, string Detail);

/// <summary>Why a node was not quantized.</summary>
public enum SkipReason
{
    /// <summary>The operator is not one the mode quantizes (Softmax, LayerNormalization, Add...): it stays in FP32.</summary>
    NotQuantizable,

    /// <summary>The operator is quantizable but this node's inputs are not (no constant weight, unsupported rank).</summary>
    UnsupportedInputs,

    /// <summary>The caller excluded the node (<see cref="QuantizationOptions.ExcludeNodes"/>), e.g. as accuracy-sensitive.</summary>
    Excluded,
}

/// <summary>The quantization parameters chosen for one activation tensor.</summary>
/// <param name="Tensor">The tensor's name.</param>
/// <param name="Min">The lower end of the range kept.</param>
/// <param name="Max">The upper end of the range kept.</param>
/// <param name="Scale">The quantization step.</param>
/// <param name="ZeroPoint">The integer that represents 0 (0 for symmetric and FP8).</param>
public sealed record TensorScale(string Tensor, double Min, double Max, float Scale, int ZeroPoint);
