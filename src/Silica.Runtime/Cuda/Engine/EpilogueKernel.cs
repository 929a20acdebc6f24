using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Kernels;
using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Engine;

/// <summary>
/// y = act(y + bias[channel] + residual), in place, for the epilogues cuBLASLt and cuDNN cannot fuse (exact erf GELU,
/// Clip, bf16 convolutions, transposed-convolution bias). Channel of element i is (i / inner) % channels.
/// </summary>
internal static class EpilogueKernel
{
    public const string Entry = "silica_epilogue";

    public static KernelLaunch Create(TensorDataType y, TensorDataType? bias, TensorDataType? residual, long total, long channels, long inner,
        Activation activation, float clipMin, float clipMax, KernelArg yArg, KernelArg? biasArg, KernelArg? residualArg)
    {
        var source = Source(y, bias ?? y, residual ?? y);
        var blocks = (uint)Math.Clamp((total + 255) / 256, 1, 132 * 64);
        var act = activation switch
        {
            Activation.None => 0,
            Activation.Relu => 1,
            Activation.GeluErf => 2,
            Activation.Clip => 3,
            _ => throw new ArgumentOutOfRangeException(nameof(activation)),
        };
        return new KernelLaunch(source, Entry, new Dim3(blocks), new Dim3(256), 0,
        [
            yArg,
            biasArg ?? new Int64Arg(0),
            residualArg ?? new Int64Arg(0),
            new Int64Arg(total),
            new Int64Arg(Math.Max(1, channels)),
            new Int64Arg(Math.Max(1, inner)),
            new Int32Arg(act),
            new Float32Arg(clipMin),
            new Float32Arg(clipMax),
        ]);
    }

    private static string Source(TensorDataType y, TensorDataType bias, TensorDataType residual) => CudaSource.Prelude + $$"""
        typedef {{CudaSource.StorageType(y)}} TY;
        typedef {{CudaSource.StorageType(bias)}} TB;
        typedef {{CudaSource.StorageType(residual)}} TR;
        extern "C" __global__ void {{Entry}}(TY* y, const TB* bias, const TR* res, long long total, long long channels, long long inner,
                                             int act, float lo, float hi)
        {
            long long step = (long long)gridDim.x * blockDim.x;
            for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < total; i += step) {
                float v = ld_f(y, i);
                if (bias) v += ld_f(bias, (i / inner) % channels);
                if (res) v += ld_f(res, i);
                if (act == 1) v = fmaxf(v, 0.f);
                else if (act == 2) v = 0.5f * v * (1.f + erff(v * 0.70710678118654752f));
                else if (act == 3) v = fminf(fmaxf(v, lo), hi);
                st_f(y, i, v);
            }
        }
        """;
}
