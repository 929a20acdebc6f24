namespace Silica.Optimization.Quantization;

/// <summary>What the quantizer produces.</summary>
public enum QuantizationMode
{
    /// <summary>
    /// INT8 with activation ranges fixed ahead of time from calibration data, in the QDQ form ONNX Runtime fuses
    /// into integer kernels (QLinearConv, QGemm, QLinearMatMul).
    /// </summary>
    Int8Static,

    /// <summary>INT8 weights with activations quantized per run from their own range: transformer MatMuls and Gemms, no calibration.</summary>
    Int8Dynamic,

    /// <summary>FP8 E4M3FN weights and activations (QDQ, opset 19) with per-tensor scales from calibration, for MatMul and Gemm.</summary>
    Fp8,
}
