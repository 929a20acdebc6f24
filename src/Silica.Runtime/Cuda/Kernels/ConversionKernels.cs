using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Kernels;

/// <summary>Cast between storage types, the executor's raw-buffer conversion, ConvTranspose's bias add and FP8 quantisation.</summary>
internal static class ConversionKernels
{
    public static IReadOnlyList<KernelLaunch> EmitCast(CastStep step, ExecutionPlan plan)
    {
        var count = plan[step.Y].ElementCount;
        return count == 0 ? [] : [Convert(plan[step.X].Type, plan[step.Y].Type, count, new BufferArg(step.X), new BufferArg(step.Y))];
    }

    /// <summary>
    /// y[i] = (to) x[i]. Integer → integer goes through 64-bit integers (exact); anything else through float, so
    /// float → int truncates toward zero and anything → bool is "≠ 0" as ONNX Cast says. To Float8E4M3FN saturates.
    /// </summary>
    public static KernelLaunch Convert(TensorDataType from, TensorDataType to, long count, KernelArg src, KernelArg dst)
    {
        var fp8 = to == TensorDataType.Float8E4M3FN;
        var fromType = CudaSource.StorageType(from);
        var toType = fp8 ? "unsigned char" : CudaSource.StorageType(to);
        var store = fp8
            ? "y[i] = __nv_cvt_float_to_fp8(ld_f(x, i), __NV_SATFINITE, __NV_E4M3)"
            : CudaSource.IsInteger(from) && CudaSource.IsInteger(to) ? "st_i(y, i, ld_i(x, i))" : "st_f(y, i, ld_f(x, i))";
        var body = $$"""
            {{(fp8 ? Fp8Include : "")}}extern "C" __global__ void @K(const {{fromType}}* x, {{toType}}* y, i64 n) {
              for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) {
                {{store}};
              }
            }

            """;
        var (source, entry) = CudaSource.Build("convert", body);
        return new KernelLaunch(source, entry, LaunchGeometry.Linear(count), LaunchGeometry.Block, 0, [src, dst, new Int64Arg(count)]);
    }

    /// <summary>y[n, c, s] += bias[c] for y viewed as [batch, channels, spatial].</summary>
    public static KernelLaunch BiasAdd(TensorDataType yType, TensorDataType biasType, long batch, long channels, long spatial, KernelArg y, KernelArg bias)
    {
        var count = batch * channels * spatial;
        var body = $$"""
            #define CH {{channels}}LL
            #define SP {{spatial}}LL
            extern "C" __global__ void @K({{CudaSource.StorageType(yType)}}* y, const {{CudaSource.StorageType(biasType)}}* bias, i64 n) {
              for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) {
                st_f(y, i, ld_f(y, i) + ld_f(bias, (i / SP) % CH));
              }
            }

            """;
        var (source, entry) = CudaSource.Build("bias_add", body);
        return new KernelLaunch(source, entry, LaunchGeometry.Linear(count), LaunchGeometry.Block, 0, [y, bias, new Int64Arg(count)]);
    }

    /// <summary>
    /// Per-tensor FP8 quantisation in four launches of one source: zero the scale slot, atomic absmax into it (non-negative
    /// floats order like their int bits), quantise y = e4m3(x / (amax/448)), then overwrite the slot with amax/448 — the
    /// dequantisation scale cuBLASLt reads. The last step is separate because every quantising block reads amax.
    /// </summary>
    public static IReadOnlyList<KernelLaunch> Fp8Quantize(TensorDataType from, long count, KernelArg src, KernelArg dst, KernelArg scale)
    {
        var t = CudaSource.StorageType(from);
        var body = $$"""
            {{Fp8Include}}SILICA_DEV float fp8_scale(float amax) { return amax > 0.0f ? amax * (1.0f / 448.0f) : 1.0f; }
            extern "C" __global__ void @K_init(float* scale) { if (threadIdx.x == 0 && blockIdx.x == 0) scale[0] = 0.0f; }
            extern "C" __global__ void @K_amax(const {{t}}* x, float* scale, i64 n) {
              __shared__ float sh[32];
              float m = 0.0f;
              for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) m = fmaxf(m, fabsf(ld_f(x, i)));
              m = block_reduce(m, sh, 1);
              if (threadIdx.x == 0) atomicMax((int*)scale, __float_as_int(m));
            }
            extern "C" __global__ void @K_quant(const {{t}}* x, unsigned char* y, const float* scale, i64 n) {
              const float inv = 1.0f / fp8_scale(scale[0]);
              for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x)
                y[i] = __nv_cvt_float_to_fp8(ld_f(x, i) * inv, __NV_SATFINITE, __NV_E4M3);
            }
            extern "C" __global__ void @K_final(float* scale) { if (threadIdx.x == 0 && blockIdx.x == 0) scale[0] = fp8_scale(scale[0]); }

            """;
        var (source, entry) = CudaSource.Build("fp8_quant", body);
        var one = new Dim3(1);
        // A few thousand blocks of absmax keep the single-address atomics cheap; the grid-stride loop covers the rest.
        var amaxGrid = new Dim3(Math.Min(LaunchGeometry.Blocks(count, CudaSource.BlockSize), 1024u));
        return
        [
            new KernelLaunch(source, entry + "_init", one, new Dim3(32), 0, [scale]),
            new KernelLaunch(source, entry + "_amax", amaxGrid, LaunchGeometry.Block, 0, [src, scale, new Int64Arg(count)]),
            new KernelLaunch(source, entry + "_quant", LaunchGeometry.Linear(count), LaunchGeometry.Block, 0, [src, dst, scale, new Int64Arg(count)]),
            new KernelLaunch(source, entry + "_final", one, new Dim3(32), 0, [scale]),
        ];
    }

    private const string Fp8Include = """
        #ifndef SILICA_SYNTAX_ONLY
        #include <cuda_fp8.h>
        #endif

        """;
}
