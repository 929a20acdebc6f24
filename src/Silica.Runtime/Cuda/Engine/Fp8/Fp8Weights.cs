using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Planning;
using Silica.Runtime.Cuda.Reference;

namespace Silica.Runtime.Cuda.Engine.Fp8;

/// <summary>
/// Which GEMMs run in FP8 and their weights quantised once at load: per-tensor scale absmax/448, stored as [N, K]
/// (cuBLASLt's FP8 kernels need the transposed-A "TN" form).
/// </summary>
internal static class Fp8Weights
{
    /// <summary>FP8 applies to a plain (unbatched, or weight-broadcast) half-precision GEMM on a constant weight with dimensions cuBLASLt accepts (multiples of 16).</summary>
    public static bool Eligible(GemmStep g, ExecutionPlan plan)
    {
        var b = plan[g.B];
        var weight = b.Kind == BufferKind.Weight || (b.Kind == BufferKind.View && plan[b.ViewOf].Kind == BufferKind.Weight);
        return weight && !g.TransA && (g.BatchCount == 1 || g.StrideB == 0)
            && plan[g.A].Type is TensorDataType.Float16 or TensorDataType.BFloat16 && plan[g.Y].Type == plan[g.A].Type
            && g.M % 16 == 0 && g.N % 16 == 0 && g.K % 16 == 0 && g.Alpha == 1f;
    }

    public static (byte[] Data, float Scale) Quantize(ExecutionPlan plan, GemmStep g)
    {
        var b = plan[g.B];
        var source = b.Kind == BufferKind.View ? plan[b.ViewOf] : b;
        var values = HostTensorMath.DecodeFloats(source.Data!, source.Type);
        var amax = 0f;
        foreach (var v in values)
        {
            amax = MathF.Max(amax, MathF.Abs(v));
        }
        var scale = amax > 0 ? amax / HostTensorMath.Float8E4M3Max : 1f;
        var inv = 1f / scale;
        long k = g.K, n = g.N;
        var data = new byte[checked(n * k)];
        for (long row = 0; row < n; row++)
        {
            for (long col = 0; col < k; col++)
            {
                // Output [N, K]: element (n, k) is B[k, n] (row-major [K, N]) or B[n, k] when already transposed.
                var v = g.TransB ? values[(row * k) + col] : values[(col * n) + row];
                data[(row * k) + col] = HostTensorMath.ToFloat8E4M3(v * inv);
            }
        }
        return (data, scale);
    }
}
