using System.Globalization;
using System.Text;
using Silica.Onnx.Model;

namespace Silica.Runtime.Cuda.Kernels;

/// <summary>
/// The text every emitted translation unit shares, the C spelling of storage types, and the deterministic naming of
/// entries. A kernel's name is a hash of its body, so identical steps (BERT's twelve layers) yield byte-identical
/// sources and the executor's source-hash cache compiles each once.
/// </summary>
internal static class CudaSource
{
    public const int BlockSize = 256;

    // Real headers only under NVRTC; the clang syntax check supplies its own declarations (SILICA_SYNTAX_ONLY).
    // Loads and stores convert to/from float (ld_f/st_f) or 64-bit integers (ld_i/st_i) so a kernel is written once
    // per storage type through overloads. Bool is a 1-byte struct: reading arbitrary bytes as C++ bool is undefined.
    public const string Prelude = """
        // Silica generated CUDA C
        #ifndef SILICA_SYNTAX_ONLY
        #include <cuda_fp16.h>
        #include <cuda_bf16.h>
        #endif
        typedef long long i64;
        struct silica_bool { unsigned char v; };
        #define SILICA_INF __int_as_float(0x7f800000)
        #define SILICA_DEV static __device__ __forceinline__

        SILICA_DEV float ld_f(const float* p, i64 i) { return p[i]; }
        SILICA_DEV float ld_f(const __half* p, i64 i) { return __half2float(p[i]); }
        SILICA_DEV float ld_f(const __nv_bfloat16* p, i64 i) { return __bfloat162float(p[i]); }
        SILICA_DEV float ld_f(const long long* p, i64 i) { return (float)p[i]; }
        SILICA_DEV float ld_f(const int* p, i64 i) { return (float)p[i]; }
        SILICA_DEV float ld_f(const signed char* p, i64 i) { return (float)p[i]; }
        SILICA_DEV float ld_f(const unsigned char* p, i64 i) { return (float)p[i]; }
        SILICA_DEV float ld_f(const silica_bool* p, i64 i) { return p[i].v != 0 ? 1.0f : 0.0f; }

        SILICA_DEV void st_f(float* p, i64 i, float v) { p[i] = v; }
        SILICA_DEV void st_f(__half* p, i64 i, float v) { p[i] = __float2half_rn(v); }
        SILICA_DEV void st_f(__nv_bfloat16* p, i64 i, float v) { p[i] = __float2bfloat16_rn(v); }
        SILICA_DEV void st_f(long long* p, i64 i, float v) { p[i] = (long long)v; }
        SILICA_DEV void st_f(int* p, i64 i, float v) { p[i] = (int)v; }
        SILICA_DEV void st_f(signed char* p, i64 i, float v) { p[i] = (signed char)v; }
        SILICA_DEV void st_f(unsigned char* p, i64 i, float v) { p[i] = (unsigned char)v; }
        SILICA_DEV void st_f(silica_bool* p, i64 i, float v) { p[i].v = v != 0.0f ? 1 : 0; }

        SILICA_DEV i64 ld_i(const float* p, i64 i) { return (i64)p[i]; }
        SILICA_DEV i64 ld_i(const __half* p, i64 i) { return (i64)__half2float(p[i]); }
        SILICA_DEV i64 ld_i(const __nv_bfloat16* p, i64 i) { return (i64)__bfloat162float(p[i]); }
        SILICA_DEV i64 ld_i(const long long* p, i64 i) { return p[i]; }
        SILICA_DEV i64 ld_i(const int* p, i64 i) { return p[i]; }
        SILICA_DEV i64 ld_i(const signed char* p, i64 i) { return p[i]; }
        SILICA_DEV i64 ld_i(const unsigned char* p, i64 i) { return p[i]; }
        SILICA_DEV i64 ld_i(const silica_bool* p, i64 i) { return p[i].v != 0 ? 1 : 0; }

        SILICA_DEV void st_i(float* p, i64 i, i64 v) { p[i] = (float)v; }
        SILICA_DEV void st_i(__half* p, i64 i, i64 v) { p[i] = __float2half_rn((float)v); }
        SILICA_DEV void st_i(__nv_bfloat16* p, i64 i, i64 v) { p[i] = __float2bfloat16_rn((float)v); }
        SILICA_DEV void st_i(long long* p, i64 i, i64 v) { p[i] = v; }
        SILICA_DEV void st_i(int* p, i64 i, i64 v) { p[i] = (int)v; }
        SILICA_DEV void st_i(signed char* p, i64 i, i64 v) { p[i] = (signed char)v; }
        SILICA_DEV void st_i(unsigned char* p, i64 i, i64 v) { p[i] = (unsigned char)v; }
        SILICA_DEV void st_i(silica_bool* p, i64 i, i64 v) { p[i].v = v != 0 ? 1 : 0; }

        SILICA_DEV i64 i64abs(i64 a) { return a < 0 ? -a : a; }
        SILICA_DEV i64 i64max(i64 a, i64 b) { return a > b ? a : b; }
        SILICA_DEV i64 i64min(i64 a, i64 b) { return a < b ? a : b; }

        SILICA_DEV float warp_sum(float v) {
          for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
          return v;
        }
        SILICA_DEV float warp_max(float v) {
          for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
          return v;
        }
        SILICA_DEV float warp_min(float v) {
          for (int o = 16; o > 0; o >>= 1) v = fminf(v, __shfl_xor_sync(0xffffffffu, v, o));
          return v;
        }
        // Block-wide reductions through 32 floats of shared memory; every thread gets the result. op: 0 sum, 1 max, 2 min.
        SILICA_DEV float block_reduce(float v, float* sh, int op) {
          v = op == 0 ? warp_sum(v) : (op == 1 ? warp_max(v) : warp_min(v));
          const int lane = threadIdx.x & 31, w = threadIdx.x >> 5, nw = (blockDim.x + 31) >> 5;
          __syncthreads();
          if (lane == 0) sh[w] = v;
          __syncthreads();
          if (w == 0) {
            const float ident = op == 0 ? 0.0f : (op == 1 ? -SILICA_INF : SILICA_INF);
            v = lane < nw ? sh[lane] : ident;
            v = op == 0 ? warp_sum(v) : (op == 1 ? warp_max(v) : warp_min(v));
            if (lane == 0) sh[0] = v;
          }
          __syncthreads();
          return sh[0];
        }

        """;

    /// <summary>The C type a buffer of <paramref name="type"/> is stored as (the ld_f/st_f overload set).</summary>
    public static string StorageType(TensorDataType type) => type switch
    {
        TensorDataType.Float => "float",
        TensorDataType.Float16 => "__half",
        TensorDataType.BFloat16 => "__nv_bfloat16",
        TensorDataType.Int64 => "long long",
        TensorDataType.Int32 => "int",
        TensorDataType.Int8 => "signed char",
        TensorDataType.UInt8 => "unsigned char",
        TensorDataType.Bool => "silica_bool",
        _ => throw new NotSupportedException($"CUDA kernels do not store {type} tensors."),
    };

    public static bool IsInteger(TensorDataType type) => type is TensorDataType.Int64 or TensorDataType.Int32
        or TensorDataType.Int8 or TensorDataType.UInt8 or TensorDataType.Bool;

    /// <summary>An unsigned type of the element's byte size, for kernels that only move bytes (any dtype shares them).</summary>
    public static string RawType(TensorDataType type) => type.ByteCount(1) switch
    {
        1 => "unsigned char",
        2 => "unsigned short",
        4 => "unsigned int",
        8 => "unsigned long long",
        _ => throw new NotSupportedException($"CUDA kernels do not move {type} tensors."),
    };

    /// <summary>A C float literal (infinities and NaN through bit patterns, which need no math header).</summary>
    public static string Float(double value)
    {
        var f = (float)value;
        if (float.IsNaN(f))
        {
            return "__int_as_float(0x7fc00000)";
        }
        if (float.IsInfinity(f))
        {
            return f > 0 ? "SILICA_INF" : "(-SILICA_INF)";
        }
        var text = f.ToString("R", CultureInfo.InvariantCulture);
        if (!text.Contains('.') && !text.Contains('E'))
        {
            text += ".0";
        }
        return "(" + text + "f)";
    }

    public static string Int(long value) => value == long.MinValue
        ? "(-9223372036854775807LL - 1)"
        : "(" + value.ToString(CultureInfo.InvariantCulture) + "LL)";

    /// <summary>
    /// Completes a translation unit: <paramref name="body"/> spells every entry name as <c>@K</c> (or <c>@K_suffix</c>);
    /// the name becomes <paramref name="prefix"/> and a hash of the body. Returns the source and the base entry name.
    /// </summary>
    public static (string Source, string Entry) Build(string prefix, string body)
    {
        var entry = $"silica_{prefix}_{Fnv1a(body):x16}";
        return (Prelude + body.Replace("@K", entry, StringComparison.Ordinal), entry);
    }

    private static ulong Fnv1a(string text)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }
        return hash;
    }
}
