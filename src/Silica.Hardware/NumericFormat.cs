namespace Silica.Hardware;

/// <summary>The number formats a device's peak throughput is given for.</summary>
public enum NumericFormat
{
    /// <summary>IEEE single precision.</summary>
    Fp32,

    /// <summary>NVIDIA TensorFloat-32 (FP32 range, 10-bit mantissa) on tensor cores.</summary>
    Tf32,

    /// <summary>bfloat16.</summary>
    Bf16,

    /// <summary>IEEE half precision.</summary>
    Fp16,

    /// <summary>8-bit floating point (E4M3/E5M2, or AWS cFP8).</summary>
    Fp8,

    /// <summary>8-bit integer; peak in TOP/s.</summary>
    Int8,
}
