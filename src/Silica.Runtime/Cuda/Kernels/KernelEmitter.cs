using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Kernels;

/// <summary>
/// Turns every plan step except GEMM, convolution and copy (cuBLASLt, cuDNN and memcpy, the executor's) into CUDA C
/// kernel launches, and provides the helper kernels the executor needs around those libraries.
/// </summary>
internal static class KernelEmitter
{
    /// <summary>True for the step kinds <see cref="Emit"/> turns into kernels.</summary>
    public static bool Handles(Step step) => step is ElementwiseStep or LayerNormStep or SoftmaxStep or AttentionStep
        or TransposeStep or GatherStep or ConcatStep or SliceStep or ReduceStep or CastStep or ResizeStep or ExpandStep or PoolStep;

    /// <summary>The launches for one step, in order (none when its output is empty).</summary>
    public static IReadOnlyList<KernelLaunch> Emit(Step step, ExecutionPlan plan) => step switch
    {
        ElementwiseStep s => ElementwiseKernel.Emit(s, plan),
        LayerNormStep s => LayerNormKernel.Emit(s, plan),
        SoftmaxStep s => SoftmaxKernel.Emit(s, plan),
        AttentionStep s => AttentionKernel.Emit(s, plan),
        TransposeStep s => TransposeKernel.Emit(s, plan),
        GatherStep s => GatherKernel.Emit(s, plan),
        ConcatStep s => ConcatKernel.Emit(s, plan),
        SliceStep s => SliceKernel.EmitSlice(s, plan),
        ReduceStep s => ReduceKernel.Emit(s, plan),
        CastStep s => ConversionKernels.EmitCast(s, plan),
        ResizeStep s => ResizeKernel.Emit(s, plan),
        ExpandStep s => SliceKernel.EmitExpand(s, plan),
        PoolStep s => PoolKernel.Emit(s, plan),
        _ => throw new NotSupportedException($"Step '{step.Name}' ({step.GetType().Name}) is not a kernel step."),
    };

    /// <summary>
    /// Converts <paramref name="count"/> elements of a raw device buffer from one storage type to another (Float8E4M3FN
    /// allowed as a target, saturating). <paramref name="unused"/> is ignored; it keeps the signature the executor was
    /// briefed with. Do not launch for count 0.
    /// </summary>
    public static KernelLaunch Convert(ulong? unused, TensorDataType from, TensorDataType to, long count, KernelArg src, KernelArg dst)
    {
        _ = unused;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return ConversionKernels.Convert(from, to, count, src, dst);
    }

    /// <summary>y[n, c, h, w] += bias[c] on an NCHW tensor (after cuDNN ConvTranspose); spatial = H·W.</summary>
    public static KernelLaunch BiasAdd(TensorDataType yType, TensorDataType biasType, long batch, long channels, long spatial,
        KernelArg y, KernelArg bias)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch * channels * spatial);
        return ConversionKernels.BiasAdd(yType, biasType, batch, channels, spatial, y, bias);
    }

    /// <summary>
    /// Quantises <paramref name="count"/> half/bf16/float elements of <paramref name="src"/> to FP8 E4M3 bytes in
    /// <paramref name="dst"/> with a per-tensor scale; <paramref name="scale"/> (4 bytes of device memory) ends holding
    /// the float dequantisation scale amax/448 (1 when the tensor is all zeros) for cuBLASLt. Four launches, in order.
    /// </summary>
    public static IReadOnlyList<KernelLaunch> Fp8Quantize(TensorDataType from, long count, KernelArg src, KernelArg dst, KernelArg scale)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return ConversionKernels.Fp8Quantize(from, count, src, dst, scale);
    }
}
