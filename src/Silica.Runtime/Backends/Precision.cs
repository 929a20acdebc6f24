namespace Silica.Runtime.Backends;

/// <summary>Numeric precisions a model can be run in.</summary>
public enum Precision
{
    /// <summary>32-bit float.</summary>
    Fp32,
    /// <summary>16-bit IEEE half float.</summary>
    Fp16,
    /// <summary>Brain float 16.</summary>
    Bf16,
    /// <summary>8-bit integer (quantized: QDQ or QLinear operators).</summary>
    Int8,
    /// <summary>8-bit float (E4M3/E5M2).</summary>
    Fp8,
}
