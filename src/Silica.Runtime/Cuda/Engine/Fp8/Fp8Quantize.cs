using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Kernels;

namespace Silica.Runtime.Cuda.Engine.Fp8;

/// <summary>
/// Per-tensor dynamic FP8 quantisation of a GEMM's activation operand: an absmax reduction, then y = e4m3(x / s)
/// with s = absmax / 448, writing s where cuBLASLt's scale pointer reads it (so dequantisation happens in the GEMM).
/// </summary>
internal static class Fp8Quantize
{
    public const string AbsMaxEntry = "silica_fp8_absmax";
    public const string QuantizeEntry = "silica_fp8_quantize";

    public static IReadOnlyList<KernelLaunch> Launches(TensorDataType type, long count, KernelArg x, KernelArg amax, KernelArg scale, KernelArg y)
    {
        var source = Source(EpilogueKernel.CType(type));
        var blocks = (uint)Math.Clamp((count + 1023) / 1024, 1, 132 * 16);
        return
        [
            new KernelLaunch(source, AbsMaxEntry, new Dim3(blocks), new Dim3(256), 0, [x, amax, new Int64Arg(count)]),
            new KernelLaunch(source, QuantizeEntry, new Dim3(blocks), new Dim3(256), 0, [x, amax, scale, y, new Int64Arg(count)]),
        ];
    }

    private static string Source(string ctype) => $$"""
        #include <cuda_fp16.h>
        #include <cuda_bf16.h>
        typedef {{ctype}} TX;
        static __device__ __forceinline__ float ldf(const float* p, long long i) { return p[i]; }
        static __device__ __forceinline__ float ldf(const __half* p, long long i) { return __half2float(p[i]); }
        static __device__ __forceinline__ float ldf(const __nv_bfloat16* p, long long i) { return __bfloat162float(p[i]); }
        {{E4M3.DeviceEncoder}}
        extern "C" __global__ void {{AbsMaxEntry}}(const TX* x, float* amax, long long n)
        {
            float m = 0.f;
            long long step = (long long)gridDim.x * blockDim.x;
            for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += step) m = fmaxf(m, fabsf(ldf(x, i)));
            for (int o = 16; o > 0; o >>= 1) m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, o));
            __shared__ float warp[32];
            if ((threadIdx.x & 31) == 0) warp[threadIdx.x >> 5] = m;
            __syncthreads();
            if (threadIdx.x < 32) {
                m = threadIdx.x < (blockDim.x >> 5) ? warp[threadIdx.x] : 0.f;
                for (int o = 16; o > 0; o >>= 1) m = fmaxf(m, __shfl_xor_sync(0xffffffffu, m, o));
                /* Non-negative floats order like their bit patterns, so an integer max is a float max. */
                if (threadIdx.x == 0) atomicMax((int*)amax, __float_as_int(m));
            }
        }
        extern "C" __global__ void {{QuantizeEntry}}(const TX* x, const float* amax, float* scale, unsigned char* y, long long n)
        {
            float s = fmaxf(*amax, 1e-12f) / 448.f;
            float inv = 1.f / s;
            if (blockIdx.x == 0 && threadIdx.x == 0) *scale = s;
            long long step = (long long)gridDim.x * blockDim.x;
            for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += step) y[i] = silica_e4m3(ldf(x, i) * inv);
        }
        """;
}
