using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Kernels;

/// <summary>
/// Reduction of [Outer, Reduced, Inner] in float: Inner = 1 reduces contiguous rows (a warp per row, or a block per
/// row when rows are long and few would keep warps idle); Inner &gt; 1 gives a thread per (outer, inner) column.
/// </summary>
internal static class ReduceKernel
{
    public const long BlockRowsMinReduced = 4096;

    public enum Variant
    {
        WarpPerRow,
        BlockPerRow,
        ThreadPerColumn,
    }

    public static Variant Choose(ReduceStep step) => step.Inner != 1
        ? Variant.ThreadPerColumn
        : step.Reduced >= BlockRowsMinReduced ? Variant.BlockPerRow : Variant.WarpPerRow;

    public static IReadOnlyList<KernelLaunch> Emit(ReduceStep step, ExecutionPlan plan)
    {
        if (step.Outer * step.Inner == 0)
        {
            return [];
        }
        var (init, combine, op) = step.Kind switch
        {
            ReduceKind.Sum or ReduceKind.Mean => ("0.0f", "acc += v", 0),
            ReduceKind.Max => ("-SILICA_INF", "acc = fmaxf(acc, v)", 1),
            ReduceKind.Min => ("SILICA_INF", "acc = fminf(acc, v)", 2),
            _ => throw new NotSupportedException($"Reduce {step.Kind}."),
        };
        var warpOp = op switch { 0 => "warp_sum", 1 => "warp_max", _ => "warp_min" };
        var finish = step.Kind == ReduceKind.Mean && step.Reduced > 0 ? $" * {CudaSource.Float(1.0 / step.Reduced)}" : "";
        var parameters = $"const {CudaSource.StorageType(plan[step.X].Type)}* x, {CudaSource.StorageType(plan[step.Y].Type)}* y, i64 outer";
        var variant = Choose(step);
        var body = variant switch
        {
            Variant.WarpPerRow => $$"""
                #define RED {{step.Reduced}}LL
                extern "C" __global__ void @K({{parameters}}) {
                  const int lane = threadIdx.x & 31;
                  const i64 warps = (i64)gridDim.x * (blockDim.x >> 5);
                  for (i64 row = (i64)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5); row < outer; row += warps) {
                    float acc = {{init}};
                    for (i64 r = lane; r < RED; r += 32) { const float v = ld_f(x, row * RED + r); {{combine}}; }
                    acc = {{warpOp}}(acc);
                    if (lane == 0) st_f(y, row, acc{{finish}});
                  }
                }

                """,
            Variant.BlockPerRow => $$"""
                #define RED {{step.Reduced}}LL
                extern "C" __global__ void @K({{parameters}}) {
                  __shared__ float sh[32];
                  for (i64 row = blockIdx.x; row < outer; row += gridDim.x) {
                    float acc = {{init}};
                    for (i64 r = threadIdx.x; r < RED; r += blockDim.x) { const float v = ld_f(x, row * RED + r); {{combine}}; }
                    acc = block_reduce(acc, sh, {{op}});
                    if (threadIdx.x == 0) st_f(y, row, acc{{finish}});
                  }
                }

                """,
            _ => $$"""
                #define RED {{step.Reduced}}LL
                #define INNER {{step.Inner}}LL
                extern "C" __global__ void @K({{parameters}}) {
                  const i64 columns = outer * INNER;
                  for (i64 t = (i64)blockIdx.x * blockDim.x + threadIdx.x; t < columns; t += (i64)gridDim.x * blockDim.x) {
                    const i64 base = (t / INNER) * RED * INNER + t % INNER;
                    float acc = {{init}};
                    for (i64 r = 0; r < RED; r++) { const float v = ld_f(x, base + r * INNER); {{combine}}; }
                    st_f(y, t, acc{{finish}});
                  }
                }

                """,
        };
        var (source, entry) = CudaSource.Build("reduce", body);
        var grid = variant switch
        {
            Variant.WarpPerRow => new Dim3(LaunchGeometry.Blocks(step.Outer, CudaSource.BlockSize / 32)),
            Variant.BlockPerRow => new Dim3(LaunchGeometry.Blocks(step.Outer, 1)),
            _ => LaunchGeometry.Linear(step.Outer * step.Inner),
        };
        return [new KernelLaunch(source, entry, grid, LaunchGeometry.Block, 0, [new BufferArg(step.X), new BufferArg(step.Y), new Int64Arg(step.Outer)])];
    }
}
