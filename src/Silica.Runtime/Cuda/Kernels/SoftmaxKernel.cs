using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Kernels;

/// <summary>
/// Softmax over [Outer, Axis, Inner]. Inner = 1: a warp per row with the row in registers (Axis ≤ 1024) or a block per
/// row (longer rows); Inner &gt; 1: a thread per (outer, inner) column, adjacent threads reading adjacent addresses.
/// </summary>
internal static class SoftmaxKernel
{
    public const int WarpRowsMaxAxis = 1024;

    public enum Variant
    {
        WarpPerRow,
        BlockPerRow,
        ThreadPerColumn,
    }

    public static Variant Choose(SoftmaxStep step) => step.Inner != 1
        ? Variant.ThreadPerColumn
        : step.Axis <= WarpRowsMaxAxis ? Variant.WarpPerRow : Variant.BlockPerRow;

    public static IReadOnlyList<KernelLaunch> Emit(SoftmaxStep step, ExecutionPlan plan)
    {
        if (step.Outer == 0 || step.Axis == 0 || step.Inner == 0)
        {
            return [];
        }
        var parameters = $"const {CudaSource.StorageType(plan[step.X].Type)}* x, {CudaSource.StorageType(plan[step.Y].Type)}* y, i64 rows";
        var variant = Choose(step);
        var body = variant switch
        {
            Variant.WarpPerRow => $$"""
                #define AXIS {{step.Axis}}
                #define PER ((AXIS + 31) / 32)
                extern "C" __global__ void @K({{parameters}}) {
                  const int lane = threadIdx.x & 31;
                  const i64 warps = (i64)gridDim.x * (blockDim.x >> 5);
                  for (i64 row = (i64)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5); row < rows; row += warps) {
                    const i64 base = row * AXIS;
                    float v[PER];
                    float m = -SILICA_INF;
                    #pragma unroll
                    for (int k = 0; k < PER; k++) {
                      const int c = lane + 32 * k;
                      v[k] = c < AXIS ? ld_f(x, base + c) : -SILICA_INF;
                      m = fmaxf(m, v[k]);
                    }
                    m = warp_max(m);
                    float s = 0.0f;
                    #pragma unroll
                    for (int k = 0; k < PER; k++) {
                      const int c = lane + 32 * k;
                      v[k] = c < AXIS ? __expf(v[k] - m) : 0.0f;
                      s += v[k];
                    }
                    const float inv = 1.0f / warp_sum(s);
                    #pragma unroll
                    for (int k = 0; k < PER; k++) {
                      const int c = lane + 32 * k;
                      if (c < AXIS) st_f(y, base + c, v[k] * inv);
                    }
                  }
                }

                """,
            Variant.BlockPerRow => $$"""
                #define AXIS {{step.Axis}}LL
                extern "C" __global__ void @K({{parameters}}) {
                  __shared__ float sh[32];
                  for (i64 row = blockIdx.x; row < rows; row += gridDim.x) {
                    const i64 base = row * AXIS;
                    float m = -SILICA_INF;
                    for (i64 c = threadIdx.x; c < AXIS; c += blockDim.x) m = fmaxf(m, ld_f(x, base + c));
                    m = block_reduce(m, sh, 1);
                    float s = 0.0f;
                    for (i64 c = threadIdx.x; c < AXIS; c += blockDim.x) s += __expf(ld_f(x, base + c) - m);
                    const float inv = 1.0f / block_reduce(s, sh, 0);
                    for (i64 c = threadIdx.x; c < AXIS; c += blockDim.x) st_f(y, base + c, __expf(ld_f(x, base + c) - m) * inv);
                  }
                }

                """,
            _ => $$"""
                #define AXIS {{step.Axis}}LL
                #define INNER {{step.Inner}}LL
                extern "C" __global__ void @K({{parameters}}) {
                  const i64 columns = rows * INNER;
                  for (i64 t = (i64)blockIdx.x * blockDim.x + threadIdx.x; t < columns; t += (i64)gridDim.x * blockDim.x) {
                    const i64 base = (t / INNER) * AXIS * INNER + t % INNER;
                    float m = -SILICA_INF;
                    for (i64 a = 0; a < AXIS; a++) m = fmaxf(m, ld_f(x, base + a * INNER));
                    float s = 0.0f;
                    for (i64 a = 0; a < AXIS; a++) s += __expf(ld_f(x, base + a * INNER) - m);
                    const float inv = 1.0f / s;
                    for (i64 a = 0; a < AXIS; a++) st_f(y, base + a * INNER, __expf(ld_f(x, base + a * INNER) - m) * inv);
                  }
                }

                """,
        };
        var (source, entry) = CudaSource.Build("softmax", body);
        var grid = variant switch
        {
            Variant.WarpPerRow => new Dim3(LaunchGeometry.Blocks(step.Outer, CudaSource.BlockSize / 32)),
            Variant.BlockPerRow => new Dim3(LaunchGeometry.Blocks(step.Outer, 1)),
            _ => LaunchGeometry.Linear(step.Outer * step.Inner),
        };
        KernelArg[] args = [new BufferArg(step.X), new BufferArg(step.Y), new Int64Arg(step.Outer)];
        return [new KernelLaunch(source, entry, grid, LaunchGeometry.Block, 0, args)];
    }
}
