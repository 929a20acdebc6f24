using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Kernels;

/// <summary>
/// NCHW Resize of H and W, nearest or (bi)linear, following the ONNX Resize spec's coordinate transforms and nearest
/// rounding modes. Linear clamps the source coordinate to [0, in−1], which equals the spec's edge padding.
/// </summary>
internal static class ResizeKernel
{
    public static IReadOnlyList<KernelLaunch> Emit(ResizeStep step, ExecutionPlan plan)
    {
        var x = plan[step.X];
        var y = plan[step.Y];
        if (x.Shape.Length != 4 || y.Shape.Length != 4)
        {
            throw new NotSupportedException($"Resize '{step.Name}': only 4-D NCHW tensors.");
        }
        var count = y.ElementCount;
        if (count == 0)
        {
            return [];
        }
        var (inH, inW, outH, outW) = (x.Shape[2], x.Shape[3], y.Shape[2], y.Shape[3]);
        // Without explicit scales (sizes given) ONNX uses out/in.
        var scaleH = step.ScaleH > 0 ? step.ScaleH : (float)outH / inH;
        var scaleW = step.ScaleW > 0 ? step.ScaleW : (float)outW / inW;
        var coordinate = CoordinateFunction(step.CoordinateMode);
        var sample = step.Mode == ResizeMode.Nearest
            ? $$"""
                const i64 ih = nearest_index(src_coord(oh, SCALE_H, IN_H, OUT_H), IN_H);
                    const i64 iw = nearest_index(src_coord(ow, SCALE_W, IN_W, OUT_W), IN_W);
                    st_f(y, i, ld_f(x, plane + ih * IN_W + iw));
                """
            : """
                float fh = fminf(fmaxf(src_coord(oh, SCALE_H, IN_H, OUT_H), 0.0f), (float)(IN_H - 1));
                    float fw = fminf(fmaxf(src_coord(ow, SCALE_W, IN_W, OUT_W), 0.0f), (float)(IN_W - 1));
                    const i64 h0 = (i64)floorf(fh), w0 = (i64)floorf(fw);
                    const i64 h1 = h0 + 1 < IN_H ? h0 + 1 : IN_H - 1, w1 = w0 + 1 < IN_W ? w0 + 1 : IN_W - 1;
                    const float lh = fh - (float)h0, lw = fw - (float)w0;
                    const float top = ld_f(x, plane + h0 * IN_W + w0) * (1.0f - lw) + ld_f(x, plane + h0 * IN_W + w1) * lw;
                    const float bottom = ld_f(x, plane + h1 * IN_W + w0) * (1.0f - lw) + ld_f(x, plane + h1 * IN_W + w1) * lw;
                    st_f(y, i, top * (1.0f - lh) + bottom * lh);
                """;
        var body = $$"""
            #define IN_H {{inH}}LL
            #define IN_W {{inW}}LL
            #define OUT_H {{outH}}LL
            #define OUT_W {{outW}}LL
            #define SCALE_H {{CudaSource.Float(scaleH)}}
            #define SCALE_W {{CudaSource.Float(scaleW)}}
            SILICA_DEV float src_coord(i64 dst, float scale, i64 in, i64 out) {
              {{coordinate}}
            }
            SILICA_DEV i64 nearest_index(float v, i64 in) {
              {{NearestRounding(step.NearestRound)}}
              return r < 0 ? 0 : (r >= in ? in - 1 : r);
            }
            extern "C" __global__ void @K(const {{CudaSource.StorageType(x.Type)}}* x, {{CudaSource.StorageType(y.Type)}}* y, i64 n) {
              for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) {
                const i64 ow = i % OUT_W, oh = (i / OUT_W) % OUT_H, nc = i / (OUT_W * OUT_H);
                const i64 plane = nc * IN_H * IN_W;
                {{sample}}
              }
            }

            """;
        var (source, entry) = CudaSource.Build("resize", body);
        return [new KernelLaunch(source, entry, LaunchGeometry.Linear(count), LaunchGeometry.Block, 0,
            [new BufferArg(step.X), new BufferArg(step.Y), new Int64Arg(count)])];
    }

    /// <summary>The body of <c>src_coord</c> for an ONNX <c>coordinate_transformation_mode</c>.</summary>
    public static string CoordinateFunction(string mode) => mode switch
    {
        "half_pixel" or "" => "return ((float)dst + 0.5f) / scale - 0.5f;",
        "pytorch_half_pixel" => "return out > 1 ? ((float)dst + 0.5f) / scale - 0.5f : 0.0f;",
        "align_corners" => "return out > 1 ? (float)dst * (float)(in - 1) / (float)(out - 1) : 0.0f;",
        "asymmetric" => "return (float)dst / scale;",
        "tf_half_pixel_for_nn" => "return ((float)dst + 0.5f) / scale;",
        "half_pixel_symmetric" =>
            "const float adj = (float)out / (scale * (float)in); const float off = (float)in * 0.5f * (1.0f - adj); " +
            "return off + ((float)dst + 0.5f) / scale - 0.5f;",
        _ => throw new NotSupportedException($"Resize coordinate_transformation_mode '{mode}'."),
    };

    /// <summary>Declares <c>r</c>, the nearest source index before clamping, for an ONNX <c>nearest_mode</c>.</summary>
    public static string NearestRounding(string mode) => mode switch
    {
        "round_prefer_floor" or "" => "const float f = floorf(v); const i64 r = (i64)(v - f == 0.5f ? f : roundf(v));",
        "round_prefer_ceil" => "const i64 r = (i64)roundf(v);",
        "floor" => "const i64 r = (i64)floorf(v);",
        "ceil" => "const i64 r = (i64)ceilf(v);",
        _ => throw new NotSupportedException($"Resize nearest_mode '{mode}'."),
    };
}
