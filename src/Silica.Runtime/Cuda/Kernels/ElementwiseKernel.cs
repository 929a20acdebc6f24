using System.Text;
using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Kernels;

/// <summary>
/// One fused kernel per <see cref="ElementwiseStep"/>. Three index paths, chosen on the host: vectorised (four
/// elements per thread, 16-byte float / 8-byte half loads) when every input is Y-shaped or a scalar and the count is a
/// multiple of 4; flat (same condition, any count); and broadcast, with per-input strides baked into the source.
/// </summary>
internal static class ElementwiseKernel
{
    public static IReadOnlyList<KernelLaunch> Emit(ElementwiseStep step, ExecutionPlan plan)
    {
        var y = plan[step.Y];
        var n = y.ElementCount;
        if (n == 0)
        {
            return [];
        }
        var inputs = step.Inputs.Select(id => plan[id]).ToArray();
        var layout = BroadcastLayout.Create(y.Shape, inputs.Select(b => b.Shape).ToArray());
        var integer = CudaSource.IsInteger(y.Type) && inputs.All(b => CudaSource.IsInteger(b.Type));
        var flat = Enumerable.Range(0, inputs.Length).All(k => layout.IsDense(k) || layout.IsScalar(k));
        var vector = flat && !integer && n % 4 == 0 && IsVectorType(y.Type)
            && Enumerable.Range(0, inputs.Length).All(k => layout.IsScalar(k) || IsVectorType(inputs[k].Type));

        var body = new StringBuilder(ExprWriter.Helpers);
        if (vector)
        {
            body.Append(VectorHelpers);
        }
        body.Append("extern \"C\" __global__ void @K(").Append(CudaSource.StorageType(y.Type)).Append("* y");
        for (var k = 0; k < inputs.Length; k++)
        {
            body.Append(", const ").Append(CudaSource.StorageType(inputs[k].Type)).Append("* x").Append(k);
        }
        body.Append(", i64 n) {\n");
        body.Append("  const i64 stride = (i64)gridDim.x * blockDim.x;\n");
        var expr = ExprWriter.Write(step.Expr, integer);
        var scalarType = integer ? "i64" : "float";
        var load = integer ? "ld_i" : "ld_f";
        if (vector)
        {
            for (var k = 0; k < inputs.Length; k++)
            {
                if (layout.IsScalar(k))
                {
                    body.Append($"  const float s{k} = ld_f(x{k}, 0);\n");
                }
            }
            body.Append("  for (i64 j = (i64)blockIdx.x * blockDim.x + threadIdx.x; j < n / 4; j += stride) {\n");
            for (var k = 0; k < inputs.Length; k++)
            {
                if (!layout.IsScalar(k))
                {
                    body.Append($"    float a{k}[4]; ld4_f(x{k}, j, a{k});\n");
                }
            }
            body.Append("    float r[4];\n    #pragma unroll\n    for (int e = 0; e < 4; e++) {\n");
            for (var k = 0; k < inputs.Length; k++)
            {
                body.Append($"      const float v{k} = {(layout.IsScalar(k) ? $"s{k}" : $"a{k}[e]")};\n");
            }
            body.Append($"      r[e] = {expr};\n    }}\n    st4_f(y, j, r);\n  }}\n}}\n");
        }
        else
        {
            body.Append("  for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {\n");
            if (!flat)
            {
                AppendOffsets(body, layout, "    ");
            }
            for (var k = 0; k < inputs.Length; k++)
            {
                var offset = layout.IsScalar(k) ? "0" : flat ? "i" : $"o{k}";
                body.Append($"    const {scalarType} v{k} = {load}(x{k}, {offset});\n");
            }
            body.Append($"    {(integer ? "st_i" : "st_f")}(y, i, {expr});\n  }}\n}}\n");
        }

        var (source, entry) = CudaSource.Build("ew", body.ToString());
        var args = new List<KernelArg> { new BufferArg(step.Y) };
        args.AddRange(step.Inputs.Select(id => (KernelArg)new BufferArg(id)));
        args.Add(new Int64Arg(n));
        var work = vector ? n / 4 : n;
        return [new KernelLaunch(source, entry, LaunchGeometry.Linear(work), LaunchGeometry.Block, 0, args)];
    }

    /// <summary>Writes <c>o0…</c> = each input's offset for output index <c>i</c>, innermost axis first.</summary>
    internal static void AppendOffsets(StringBuilder body, BroadcastLayout layout, string indent)
    {
        // Index arithmetic in 32 bits when the output fits: 64-bit division is emulated (dozens of instructions), while
        // 32-bit division by a compile-time constant is a multiply and a shift. Offsets stay 64-bit.
        long total = 1;
        foreach (var d in layout.Shape)
        {
            total *= d;
        }
        var narrow = total < int.MaxValue;
        var count = layout.Strides.Length;
        body.Append(indent).Append(narrow ? "unsigned int r = (unsigned int)i;" : "i64 r = i;");
        for (var k = 0; k < count; k++)
        {
            body.Append($" i64 o{k} = 0;");
        }
        body.Append('\n');
        for (var d = layout.Rank - 1; d >= 0; d--)
        {
            var outermost = d == 0;
            body.Append(indent).Append("{ ");
            body.Append(outermost
                ? (narrow ? "const unsigned int c = r;" : "const i64 c = r;")
                : narrow ? $"const unsigned int c = r % {layout.Shape[d]}u; r /= {layout.Shape[d]}u;" : $"const i64 c = r % {layout.Shape[d]}LL; r /= {layout.Shape[d]}LL;");
            for (var k = 0; k < count; k++)
            {
                var s = layout.Strides[k][d];
                if (s != 0)
                {
                    body.Append($" o{k} += (i64)c * {s}LL;");
                }
            }
            body.Append(" }\n");
        }
    }

    private static bool IsVectorType(TensorDataType type) =>
        type is TensorDataType.Float or TensorDataType.Float16 or TensorDataType.BFloat16;

    // Four consecutive elements through one 16-byte (float) or 8-byte (half, bf16) access; buffers are 256-byte aligned.
    private const string VectorHelpers = """
        SILICA_DEV void ld4_f(const float* p, i64 j, float* v) {
          const float4 q = reinterpret_cast<const float4*>(p)[j];
          v[0] = q.x; v[1] = q.y; v[2] = q.z; v[3] = q.w;
        }
        SILICA_DEV void ld4_f(const __half* p, i64 j, float* v) {
          const uint2 q = reinterpret_cast<const uint2*>(p)[j];
          v[0] = __half2float(__ushort_as_half((unsigned short)(q.x & 0xffffu)));
          v[1] = __half2float(__ushort_as_half((unsigned short)(q.x >> 16)));
          v[2] = __half2float(__ushort_as_half((unsigned short)(q.y & 0xffffu)));
          v[3] = __half2float(__ushort_as_half((unsigned short)(q.y >> 16)));
        }
        SILICA_DEV void ld4_f(const __nv_bfloat16* p, i64 j, float* v) {
          const uint2 q = reinterpret_cast<const uint2*>(p)[j];
          v[0] = __uint_as_float(q.x << 16); v[1] = __uint_as_float(q.x & 0xffff0000u);
          v[2] = __uint_as_float(q.y << 16); v[3] = __uint_as_float(q.y & 0xffff0000u);
        }
        SILICA_DEV void st4_f(float* p, i64 j, const float* v) {
          reinterpret_cast<float4*>(p)[j] = make_float4(v[0], v[1], v[2], v[3]);
        }
        SILICA_DEV unsigned int pack_h2(float a, float b) {
          return (unsigned int)__half_as_ushort(__float2half_rn(a)) | ((unsigned int)__half_as_ushort(__float2half_rn(b)) << 16);
        }
        SILICA_DEV unsigned int pack_b2(float a, float b) {
          return (unsigned int)__bfloat16_as_ushort(__float2bfloat16_rn(a)) | ((unsigned int)__bfloat16_as_ushort(__float2bfloat16_rn(b)) << 16);
        }
        SILICA_DEV void st4_f(__half* p, i64 j, const float* v) {
          reinterpret_cast<uint2*>(p)[j] = make_uint2(pack_h2(v[0], v[1]), pack_h2(v[2], v[3]));
        }
        SILICA_DEV void st4_f(__nv_bfloat16* p, i64 j, const float* v) {
          reinterpret_cast<uint2*>(p)[j] = make_uint2(pack_b2(v[0], v[1]), pack_b2(v[2], v[3]));
        }

        """;
}
