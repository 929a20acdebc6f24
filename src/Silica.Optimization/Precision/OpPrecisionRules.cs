namespace Silica.Optimization.Precision;

/// <summary>What the converter knows about operators beyond the user's keep list.</summary>
internal static class OpPrecisionRules
{
    /// <summary>
    /// Data-movement operators: exact in any precision, so they follow their input's precision instead of
    /// forcing a Cast on either side of them.
    /// </summary>
    public static readonly HashSet<string> FollowInput = new(StringComparer.Ordinal)
    {
        "Reshape", "Transpose", "Squeeze", "Unsqueeze", "Flatten", "Identity", "Gather", "GatherElements", "GatherND",
        "Slice", "Split", "Concat", "Expand", "Tile", "DepthToSpace", "SpaceToDepth", "Dropout", "MaxPool", "Pad",
    };

    /// <summary>Operators that read a float input in whatever precision it has (their outputs are not float data).</summary>
    public static readonly HashSet<string> AnyInputPrecision = new(StringComparer.Ordinal) { "Shape", "Size" };

    /// <summary>Operators with no half-precision form in ONNX, or whose float inputs carry quantization parameters.</summary>
    public static readonly HashSet<string> NoHalfForm = new(StringComparer.Ordinal)
    {
        "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear", "QLinearConv", "QLinearMatMul", "MatMulInteger",
        "ConvInteger", "RandomNormal", "RandomUniform", "RandomNormalLike", "RandomUniformLike", "Multinomial", "Bernoulli",
        "EyeLike", "If", "Loop", "Scan",
    };

    /// <summary>Input slots that must stay FP32 whatever the node's precision (Resize and Upsample scales).</summary>
    public static bool IsFloat32Slot(string opType, int slot) =>
        (opType == "Resize" && slot is 1 or 2) || (opType == "Upsample" && slot == 1);
}
