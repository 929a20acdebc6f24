using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Kernels;

/// <summary>
/// LayerNorm, two-pass in float: a warp per row holding the row in registers for Cols ≤ 1024 (BERT's 768 is 24 values
/// a lane), otherwise a block per row re-reading global memory. Scale and Bias are read by their own types (float32
/// parameters beside a half activation are common after precision assignment); a missing one is 1 / 0.
/// </summary>
internal static class LayerNormKernel
{
    public const int WarpRowsMaxCols = 1024;
    private const int RowsPerBlock = CudaSource.BlockSize / 32;

    public static IReadOnlyList<KernelLaunch> Emit(LayerNormStep step, ExecutionPlan plan)
    {
        if (step.Rows == 0 || step.Cols == 0)
        {
            return [];
        }
        var x = CudaSource.StorageType(plan[step.X].Type);
        var y = CudaSource.StorageType(plan[step.Y].Type);
        var hasScale = step.Scale >= 0;
        var hasBias = step.Bias >= 0;
        var parameters = $"const {x}* x, {y}* y"
            + (hasScale ? $", const {CudaSource.StorageType(plan[step.Scale].Type)}* scale" : "")
            + (hasBias ? $", const {CudaSource.StorageType(plan[step.Bias].Type)}* bias" : "")
            + ", i64 rows, float eps";
        var affine = $"{(hasScale ? " * ld_f(scale, c)" : "")}{(hasBias ? " + ld_f(bias, c)" : "")}";
        var cols = step.Cols;
        var warpPerRow = cols <= WarpRowsMaxCols;
        var body = warpPerRow
            ? $$"""
                #define COLS {{cols}}
                #define PER ((COLS + 31) / 32)
                extern "C" __global__ void @K({{parameters}}) {
                  const int lane = threadIdx.x & 31;
                  const i64 warps = (i64)gridDim.x * (blockDim.x >> 5);
                  for (i64 row = (i64)blockIdx.x * (blockDim.x >> 5) + (threadIdx.x >> 5); row < rows; row += warps) {
                    const i64 base = row * COLS;
                    float v[PER];
                    float s = 0.0f;
                    #pragma unroll
                    for (int k = 0; k < PER; k++) {
                      const int c = lane + 32 * k;
                      v[k] = c < COLS ? ld_f(x, base + c) : 0.0f;
                      s += v[k];
                    }
                    const float mean = warp_sum(s) * (1.0f / COLS);
                    float q = 0.0f;
                    #pragma unroll
                    for (int k = 0; k < PER; k++) {
                      const int c = lane + 32 * k;
                      const float d = c < COLS ? v[k] - mean : 0.0f;
                      q += d * d;
                    }
                    const float rstd = rsqrtf(warp_sum(q) * (1.0f / COLS) + eps);
                    #pragma unroll
                    for (int k = 0; k < PER; k++) {
                      const int c = lane + 32 * k;
                      if (c < COLS) st_f(y, base + c, (v[k] - mean) * rstd{{affine}});
                    }
                  }
                }

                """
            : $$"""
                #define COLS {{cols}}LL
                extern "C" __global__ void @K({{parameters}}) {
                  __shared__ float sh[32];
                  for (i64 row = blockIdx.x; row < rows; row += gridDim.x) {
                    const i64 base = row * COLS;
                    float s = 0.0f;
                    for (i64 c = threadIdx.x; c < COLS; c += blockDim.x) s += ld_f(x, base + c);
                    const float mean = block_reduce(s, sh, 0) * (1.0f / (float)COLS);
                    float q = 0.0f;
                    for (i64 c = threadIdx.x; c < COLS; c += blockDim.x) { const float d = ld_f(x, base + c) - mean; q += d * d; }
                    const float rstd = rsqrtf(block_reduce(q, sh, 0) * (1.0f / (float)COLS) + eps);
                    for (i64 c = threadIdx.x; c < COLS; c += blockDim.x) st_f(y, base + c, (ld_f(x, base + c) - mean) * rstd{{affine}});
                  }
                }

                """;
        var (source, entry) = CudaSource.Build("layernorm", body);
        var args = new List<KernelArg> { new BufferArg(step.X), new BufferArg(step.Y) };
        if (hasScale)
        {
            args.Add(new BufferArg(step.Scale));
        }
        if (hasBias)
        {
            args.Add(new BufferArg(step.Bias));
        }
        args.Add(new Int64Arg(step.Rows));
        args.Add(new Float32Arg(step.Epsilon));
        var grid = new Dim3(LaunchGeometry.Blocks(step.Rows, warpPerRow ? RowsPerBlock : 1));
        return [new KernelLaunch(source, entry, grid, LaunchGeometry.Block, 0, args)];
    }
}
