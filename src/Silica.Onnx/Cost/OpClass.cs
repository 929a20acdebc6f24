namespace Silica.Onnx.Cost;

/// <summary>
/// Families of operators that behave alike on hardware. The predictor assigns efficiencies per class
/// (a GEMM reaches a large share of peak FLOPs; an elementwise op is bound by memory bandwidth).
/// </summary>
public enum OpClass
{
    /// <summary>MatMul, Gemm, Einsum and their quantized forms: dense matrix products.</summary>
    Gemm,
    /// <summary>Conv and ConvTranspose.</summary>
    Conv,
    /// <summary>Fused attention kernels (contrib <c>Attention</c>, <c>MultiHeadAttention</c>).</summary>
    Attention,
    /// <summary>Arithmetic on elements: Add, Mul, Div, Sqrt, Pow, Where...</summary>
    Elementwise,
    /// <summary>Activation functions: Relu, Sigmoid, Tanh, Gelu, Erf, Clip...</summary>
    Activation,
    /// <summary>BatchNormalization, LayerNormalization, InstanceNormalization...</summary>
    Normalization,
    /// <summary>MaxPool, AveragePool and the global pools.</summary>
    Pooling,
    /// <summary>ReduceMean/Sum/Max..., ArgMax/ArgMin, CumSum, TopK.</summary>
    Reduction,
    /// <summary>Softmax and LogSoftmax.</summary>
    Softmax,
    /// <summary>Ops that copy or rearrange data without arithmetic: Transpose, Concat, Slice, Gather, Pad, Resize, Cast...</summary>
    DataMovement,
    /// <summary>Ops that only change metadata at run time: Reshape, Squeeze, Unsqueeze, Flatten, Shape, Identity, Constant.</summary>
    ShapeOnly,
    /// <summary>QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear.</summary>
    Quantization,
    /// <summary>Everything else (counted with no FLOPs, bytes as for data movement).</summary>
    Other,
}
