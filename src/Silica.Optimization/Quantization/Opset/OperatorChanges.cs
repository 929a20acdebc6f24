using Silica.Onnx.Graph;

namespace Silica.Optimization.Quantization;

/// <summary>
/// One version of an operator that changed its interface or meaning: <see cref="Check"/> says why a node cannot be
/// carried across it (null when it can), <see cref="Apply"/> rewrites the node for the new version (null when nothing
/// needs rewriting, only checking) and returns the node that replaces it.
/// </summary>
internal sealed record OperatorChange(int Version, Func<Node, string?>? Check, Func<Node, UpgradeContext, Node>? Apply, string? RenamesTo = null);

/// <summary>
/// The default-domain operator history from opset 9 to 19, after onnx/docs/Changelog.md and onnx's version-converter
/// adapters. An operator is either <see cref="Compatible"/> (every version in the range only widened its types or
/// added attributes and optional inputs whose defaults keep the old meaning) or listed with the versions that need
/// an adapter or a check. Anything else is refused by name: no guessing about operators nobody checked.
/// </summary>
internal static class OperatorChanges
{
    private static readonly HashSet<string> Compatible =
    [
        // Elementwise math and logic: later versions add types (bfloat16, int8...), nothing else.
        "Abs", "Acos", "Acosh", "Add", "And", "Asin", "Asinh", "Atan", "Atanh", "Ceil", "Cos", "Cosh", "Div", "Equal", "Erf", "Exp",
        "Floor", "Greater", "GreaterOrEqual", "IsInf", "IsNaN", "Less", "LessOrEqual", "Log", "Max", "Mean", "Min", "Mod", "Mul", "Neg",
        "Not", "Or", "Pow", "Reciprocal", "Round", "Sign", "Sin", "Sinh", "Sqrt", "Sub", "Sum", "Tan", "Tanh", "Where", "Xor",
        // Activations.
        "Elu", "HardSigmoid", "HardSwish", "LeakyRelu", "PRelu", "Relu", "Selu", "Sigmoid", "Softplus", "Softsign", "ThresholdedRelu",
        // Convolution, pooling, normalization: ceil_mode (10), dilations (10/19), count_include_pad keep their old defaults.
        "AveragePool", "Conv", "ConvTranspose", "GlobalAveragePool", "GlobalLpPool", "GlobalMaxPool", "InstanceNormalization", "LRN",
        "LayerNormalization", "LpNormalization", "MaxPool", "MeanVarianceNormalization",
        // Matrix products: Gemm's C became optional at 11.
        "Gemm", "MatMul", "MatMulInteger", "ConvInteger", "QLinearConv", "QLinearMatMul", "Einsum",
        // Shapes and data movement: negative axes (11), Reshape's allowzero (14, default 0) and Shape's start/end (15) keep the old meaning.
        "Cast", "CastLike", "Compress", "Concat", "Constant", "ConstantOfShape", "CumSum", "DepthToSpace", "Expand", "EyeLike", "Flatten",
        "Gather", "GatherElements", "GatherND", "Identity", "NonZero", "OneHot", "Range", "Reshape", "ScatterElements", "ScatterND",
        "Shape", "Size", "SpaceToDepth", "Tile", "Transpose", "Trilu",
        // Index reductions: select_last_index (12) defaults to the old behaviour.
        "ArgMax", "ArgMin",
        // Per-tensor QDQ is unchanged; per-axis (13) and new types (19, 21) are additions.
        "DequantizeLinear", "DynamicQuantizeLinear", "QuantizeLinear",
    ];

    private static readonly Dictionary<string, OperatorChange[]> Changes = new()
    {
        ["Slice"] = [new(10, null, AttributeInputs.Slice10)],
        ["TopK"] = [new(10, null, AttributeInputs.TopK10)],
        ["Upsample"] = [new(10, null, ResizeAdapters.UpsampleToResize10, "Resize")],
        ["Resize"] = [new(11, ResizeAdapters.CheckResize11, ResizeAdapters.Resize11), new(13, ResizeAdapters.CheckResize13, null)],
        ["Clip"] = [new(11, null, AttributeInputs.Clip11)],
        ["Pad"] = [new(11, null, AttributeInputs.Pad11)],
        ["Dropout"] = [new(10, AttributeInputs.CheckDropoutMask, null), new(12, null, AttributeInputs.Dropout12)],
        ["BatchNormalization"] = [new(14, AttributeInputs.CheckBatchNormOutputs, AttributeInputs.BatchNorm14)],
        ["Squeeze"] = [new(13, null, AttributeInputs.AxesToInput)],
        ["Unsqueeze"] = [new(13, null, AttributeInputs.AxesToInput)],
        ["ReduceSum"] = [new(13, null, AttributeInputs.AxesToInput)],
        ["Split"] = [new(13, null, AttributeInputs.Split13), new(18, null, AttributeInputs.Split18)],
        ["Softmax"] = [new(13, null, SoftmaxAdapter.Softmax13)],
        ["LogSoftmax"] = [new(13, null, SoftmaxAdapter.Softmax13)],
        ["Hardmax"] = [new(13, null, SoftmaxAdapter.Softmax13)],
        ["ReduceMean"] = [new(18, null, AttributeInputs.AxesToInput)],
        ["ReduceMax"] = [new(18, null, AttributeInputs.AxesToInput)],
        ["ReduceMin"] = [new(18, null, AttributeInputs.AxesToInput)],
        ["ReduceProd"] = [new(18, null, AttributeInputs.AxesToInput)],
        ["ReduceL1"] = [new(18, null, AttributeInputs.AxesToInput)],
        ["ReduceL2"] = [new(18, null, AttributeInputs.AxesToInput)],
        ["ReduceLogSum"] = [new(18, null, AttributeInputs.AxesToInput)],
        ["ReduceLogSumExp"] = [new(18, null, AttributeInputs.AxesToInput)],
        ["ReduceSumSquare"] = [new(18, null, AttributeInputs.AxesToInput)],
    };

    /// <summary>True for operators whose adapters (before opset 13) need value types: new scalar inputs, the Softmax axis.</summary>
    public static bool NeedsTypes(string opType) => opType is "Clip" or "Pad" or "Softmax" or "LogSoftmax" or "Hardmax";

    /// <summary>True when the operator's history from opset 9 to 19 is known here.</summary>
    public static bool IsKnown(string opType) => Compatible.Contains(opType) || Changes.ContainsKey(opType);

    /// <summary>The first change of <paramref name="opType"/> after opset <paramref name="after"/>, up to <paramref name="target"/>.</summary>
    public static OperatorChange? Next(string opType, long after, long target) =>
        Changes.TryGetValue(opType, out var changes) ? changes.FirstOrDefault(c => c.Version > after && c.Version <= target) : null;
}
