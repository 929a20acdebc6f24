namespace Silica.Onnx.Cost;

/// <summary>Maps ONNX operator names to <see cref="OpClass"/>.</summary>
internal static class OpClassifier
{
    private static readonly Dictionary<string, OpClass> Classes = Build();

    public static OpClass Classify(string opType, string domain)
    {
        if (domain is "com.microsoft" && opType is "Attention" or "MultiHeadAttention" or "GroupQueryAttention")
        {
            return OpClass.Attention;
        }
        return Classes.GetValueOrDefault(opType, OpClass.Other);
    }

    private static Dictionary<string, OpClass> Build()
    {
        var map = new Dictionary<string, OpClass>(StringComparer.Ordinal);
        void Add(OpClass c, params string[] ops)
        {
            foreach (var op in ops)
            {
                map[op] = c;
            }
        }
        Add(OpClass.Gemm, "MatMul", "Gemm", "Einsum", "MatMulInteger", "QLinearMatMul", "FusedMatMul", "MatMulNBits");
        Add(OpClass.Conv, "Conv", "ConvTranspose", "ConvInteger", "QLinearConv", "DeformConv");
        Add(OpClass.Elementwise, "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "Reciprocal", "Neg", "Abs", "Exp", "Log", "Floor",
            "Ceil", "Round", "Sign", "Mod", "Min", "Max", "Sum", "Mean", "Where", "Equal", "Less", "Greater", "LessOrEqual",
            "GreaterOrEqual", "Not", "And", "Or", "Xor", "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor", "BitwiseNot",
            "Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "IsNaN", "IsInf");
        Add(OpClass.Activation, "Relu", "LeakyRelu", "PRelu", "Elu", "Selu", "Celu", "Sigmoid", "HardSigmoid", "HardSwish", "Tanh",
            "Gelu", "Erf", "Softplus", "Softsign", "Mish", "Clip", "ThresholdedRelu", "Shrink", "Swish", "FastGelu", "BiasGelu", "QuickGelu");
        Add(OpClass.Normalization, "BatchNormalization", "LayerNormalization", "InstanceNormalization", "GroupNormalization",
            "LpNormalization", "MeanVarianceNormalization", "RMSNormalization", "SimplifiedLayerNormalization", "SkipLayerNormalization", "LRN");
        Add(OpClass.Pooling, "MaxPool", "AveragePool", "GlobalAveragePool", "GlobalMaxPool", "LpPool", "GlobalLpPool", "MaxRoiPool", "RoiAlign");
        Add(OpClass.Reduction, "ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
            "ReduceLogSum", "ReduceLogSumExp", "ReduceSumSquare", "ArgMax", "ArgMin", "CumSum", "TopK");
        Add(OpClass.Softmax, "Softmax", "LogSoftmax", "Hardmax");
        Add(OpClass.DataMovement, "Transpose", "Concat", "Split", "Slice", "Gather", "GatherElements", "GatherND", "Scatter",
            "ScatterElements", "ScatterND", "Pad", "Resize", "Upsample", "Expand", "Tile", "DepthToSpace", "SpaceToDepth", "Cast",
            "CastLike", "OneHot", "Trilu", "ReverseSequence", "Compress", "NonZero", "Unique");
        Add(OpClass.ShapeOnly, "Reshape", "Flatten", "Squeeze", "Unsqueeze", "Identity", "Shape", "Size", "Constant",
            "ConstantOfShape", "Range", "Dropout", "EyeLike");
        Add(OpClass.Quantization, "QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear");
        return map;
    }
}
