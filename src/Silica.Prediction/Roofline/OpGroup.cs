namespace Silica.Prediction;

/// <summary>
/// Operator groups with distinct efficiency on hardware. Finer than nothing, coarser than
/// <see cref="Onnx.Cost.OpClass"/>: only the groups whose reachable share of peak differs a lot.
/// </summary>
public enum OpGroup
{
    /// <summary>Dense matrix products: MatMul, Gemm, Einsum, fused attention.</summary>
    Gemm,

    /// <summary>Dense (ungrouped) convolutions.</summary>
    Conv,

    /// <summary>Grouped and depthwise convolutions: few FLOPs per byte, poorly fed by matrix units.</summary>
    Depthwise,

    /// <summary>Everything else (elementwise, activations, norms, pooling, softmax, data movement): vector units, usually memory-bound.</summary>
    Vector,
}
