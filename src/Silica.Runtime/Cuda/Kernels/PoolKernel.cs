using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Kernels;

/// <summary>
/// NCHW pooling: a thread per output for max/average windows (padding excluded from max; average divides by the
/// window clipped to the padded extent with count_include_pad, else by the in-bounds count, as ONNX Runtime does), and
/// a warp per (n, c) plane for global average.
/// </summary>
internal static class PoolKernel
{
    public static IReadOnlyList<KernelLaunch> Emit(PoolStep step, ExecutionPlan plan)
    {
        var x = plan[step.X];
        var y = plan[step.Y];
        if (y.ElementCount == 0)
        {
            return [];
        }
        var (h, w) = (x.Shape[2], x.Shape.Length > 3 ? x.Shape[3] : 1);
        var parameters = $"const {CudaSource.StorageType(x.Type)}* x, {CudaSource.StorageType(y.Type)}* y, i64 n";
        if (step.Kind == PoolKind.GlobalAverage)
        {
            var planes = x.Shape[0] * x.Shape[1];
            var globalBody = $$"""
                #define HW {{h * w}}LL
                extern "C" __global__ void @K({{parameters}}) {
                  const int lane = threadIdx.x & 31;
                  const i64 warps = (i64)gridDim.x * (blockDim.x >> 5);
                  for (i64 p = (i64)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5); p < n; p += warps) {
                    float s = 0.0f;
                    for (i64 k = lane; k < HW; k += 32) s += ld_f(x, p * HW + k);
                    s = warp_sum(s);
                    if (lane == 0) st_f(y, p, s * (1.0f / (float)HW));
                  }
                }

                """;
            var (gs, ge) = CudaSource.Build("global_avgpool", globalBody);
            return [new KernelLaunch(gs, ge, new Dim3(LaunchGeometry.Blocks(planes, CudaSource.BlockSize / 32)), LaunchGeometry.Block, 0,
                [new BufferArg(step.X), new BufferArg(step.Y), new Int64Arg(planes)])];
        }

        var (oh, ow) = (y.Shape[2], y.Shape.Length > 3 ? y.Shape[3] : 1);
        var kernel = step.Kernel;
        var (kh, kw) = (kernel[0], kernel.Length > 1 ? kernel[1] : 1);
        var (sh, sw) = (step.Strides.Length > 0 ? step.Strides[0] : 1, step.Strides.Length > 1 ? step.Strides[1] : 1);
        var pads = step.Pads.Length == 4 ? step.Pads : [0, 0, 0, 0];
        var max = step.Kind == PoolKind.Max;
        var divisor = step.CountIncludePad
            ? "(float)((hend - hs) * (wend - ws))"
            : "(float)((h1 - h0) * (w1 - w0))";
        var body = $$"""
            #define H {{h}}LL
            #define W {{w}}LL
            #define OH {{oh}}LL
            #define OW {{ow}}LL
            extern "C" __global__ void @K({{parameters}}) {
              for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) {
                const i64 ox = i % OW, oy = (i / OW) % OH, nc = i / (OW * OH);
                const i64 hs = oy * {{sh}} - {{pads[0]}}, ws = ox * {{sw}} - {{pads[1]}};
                const i64 hend = i64min(hs + {{kh}}, H + {{pads[2]}}), wend = i64min(ws + {{kw}}, W + {{pads[3]}});
                const i64 h0 = i64max(hs, 0LL), w0 = i64max(ws, 0LL), h1 = i64min(hend, H), w1 = i64min(wend, W);
                const i64 plane = nc * H * W;
                float acc = {{(max ? "-SILICA_INF" : "0.0f")}};
                for (i64 yy = h0; yy < h1; yy++)
                  for (i64 xx = w0; xx < w1; xx++) {
                    const float v = ld_f(x, plane + yy * W + xx);
                    {{(max ? "acc = fmaxf(acc, v);" : "acc += v;")}}
                  }
                {{(max ? "st_f(y, i, acc);" : $"st_f(y, i, (h1 > h0 && w1 > w0) ? acc / {divisor} : 0.0f);")}}
              }
            }

            """;
        var (source, entry) = CudaSource.Build(max ? "maxpool" : "avgpool", body);
        return [new KernelLaunch(source, entry, LaunchGeometry.Linear(y.ElementCount), LaunchGeometry.Block, 0,
            [new BufferArg(step.X), new BufferArg(step.Y), new Int64Arg(y.ElementCount)])];
    }
}
