namespace Silica.Optimization.Optimizer;

/// <summary>The number format <see cref="ModelOptimizer"/> converts a model to.</summary>
public enum TargetPrecision
{
    /// <summary>IEEE half precision weights and activations; sensitive ops stay FP32.</summary>
    Fp16,

    /// <summary>Brain float 16; ONNX Runtime's CPU provider has no BF16 kernels, so accuracy is checked by emulation and speed is not measured.</summary>
    Bf16,

    /// <summary>INT8 static quantization (QDQ) with activation ranges from calibration data.</summary>
    Int8,

    /// <summary>INT8 dynamic quantization of MatMul/Gemm weights; activations quantized per run. No calibration.</summary>
    Int8Dynamic,

    /// <summary>FP8 E4M3 QDQ (opset 19) for Conv, MatMul and Gemm: per-tensor activation scales from calibration, per-tensor (MatMul, Gemm) or per-channel (Conv) weight scales.</summary>
    Fp8,
}

/// <summary>Names of <see cref="TargetPrecision"/> values as the command line spells them.</summary>
public static class TargetPrecisions
{
    /// <summary>The accepted names, for messages.</summary>
    public const string Names = "fp16, bf16, int8, int8-dynamic, fp8";

    /// <summary>Parses <c>fp16</c>, <c>bf16</c>, <c>int8</c>, <c>int8-dynamic</c> or <c>fp8</c> (case-insensitive).</summary>
    public static bool TryParse(string? text, out TargetPrecision precision)
    {
        (var ok, precision) = text?.Trim().ToLowerInvariant() switch
        {
            "fp16" or "float16" => (true, TargetPrecision.Fp16),
            "bf16" or "bfloat16" => (true, TargetPrecision.Bf16),
            "int8" or "int8-static" => (true, TargetPrecision.Int8),
            "int8-dynamic" => (true, TargetPrecision.Int8Dynamic),
            "fp8" or "fp8-e4m3" => (true, TargetPrecision.Fp8),
            _ => (false, default),
        };
        return ok;
    }

    /// <summary>The command-line name (<c>int8-dynamic</c>).</summary>
    public static string Name(this TargetPrecision precision) => precision switch
    {
        TargetPrecision.Fp16 => "fp16",
        TargetPrecision.Bf16 => "bf16",
        TargetPrecision.Int8 => "int8",
        TargetPrecision.Int8Dynamic => "int8-dynamic",
        TargetPrecision.Fp8 => "fp8",
        _ => precision.ToString(),
    };

    /// <summary>True when the precision needs calibration data (activation ranges fixed ahead of time).</summary>
    public static bool NeedsCalibration(this TargetPrecision precision) => precision is TargetPrecision.Int8 or TargetPrecision.Fp8;
}
