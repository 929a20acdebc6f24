using Silica.Runtime.Backends;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>How <see cref="CudaPlanner"/> lowers a model.</summary>
internal sealed record PlanOptions
{
    /// <summary>Storage type of float activations and weights; Fp8 is Fp16 plus GEMM B weights marked for FP8.</summary>
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>Emit <see cref="AttentionStep"/> for the BERT/GPT attention pattern.</summary>
    public bool FuseAttention { get; init; }

    public bool FuseElementwise { get; init; } = true;

    public bool FuseEpilogues { get; init; } = true;
}
