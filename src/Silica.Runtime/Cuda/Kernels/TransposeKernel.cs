using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Kernels;

/// <summary>
/// Transpose by bytes (any dtype of a size shares the kernel). After dropping size-1 axes and merging axes that stay
/// adjacent, a permutation that swaps the last two of [B, R, C] (NCHW↔NHWC, 2-D transposes) goes through a 32×33
/// shared-memory tile so both reads and writes coalesce; anything else uses per-element index math.
/// </summary>
internal static class TransposeKernel
{
    private const int Tile = 32;
    private const int TileRows = 8;

    /// <summary>The equivalent transpose of fewer, larger axes: input shape (input order) and permutation.</summary>
    public static (long[] Shape, int[] Perm) Coalesce(long[] shape, int[] perm)
    {
        var kept = Enumerable.Range(0, shape.Length).Where(a => shape[a] != 1).ToArray();
        var rank = new int[shape.Length];
        for (var i = 0; i < kept.Length; i++)
        {
            rank[kept[i]] = i;
        }
        var p = perm.Where(a => shape[a] != 1).Select(a => rank[a]).ToArray();
        var s = kept.Select(a => shape[a]).ToArray();

        // Runs of output axes that are consecutive input axes become one axis.
        var groups = new List<List<int>>();
        foreach (var a in p)
        {
            if (groups.Count > 0 && groups[^1][^1] + 1 == a)
            {
                groups[^1].Add(a);
            }
            else
            {
                groups.Add([a]);
            }
        }
        var byInput = groups.OrderBy(g => g[0]).ToList();
        var newShape = byInput.Select(g => g.Aggregate(1L, (acc, a) => acc * s[a])).ToArray();
        var newPerm = groups.Select(g => byInput.IndexOf(g)).ToArray();
        return newShape.Length == 0 ? ([1], [0]) : (newShape, newPerm);
    }

    /// <summary>True when the coalesced transpose is [B, R, C] → [B, C, R] (B may be absent).</summary>
    public static bool IsTiled(int[] perm) =>
        (perm.Length == 2 && perm[0] == 1 && perm[1] == 0) || (perm.Length == 3 && perm[0] == 0 && perm[1] == 2 && perm[2] == 1);

    public static IReadOnlyList<KernelLaunch> Emit(TransposeStep step, ExecutionPlan plan)
    {
        var x = plan[step.X];
        var n = x.ElementCount;
        if (n == 0)
        {
            return [];
        }
        var t = CudaSource.RawType(x.Type);
        var (shape, perm) = Coalesce(x.Shape, step.Perm);
        if (IsTiled(perm))
        {
            var b = perm.Length == 3 ? shape[0] : 1;
            var r = shape[^2];
            var c = shape[^1];
            var body = $$"""
                #define BATCH {{b}}LL
                #define ROWS {{r}}LL
                #define COLS {{c}}LL
                extern "C" __global__ void @K(const {{t}}* x, {{t}}* y) {
                  __shared__ {{t}} tile[{{Tile}}][{{Tile + 1}}];
                  const i64 tilesR = (ROWS + {{Tile - 1}}) / {{Tile}}, tilesC = (COLS + {{Tile - 1}}) / {{Tile}};
                  for (i64 bz = blockIdx.z; bz < BATCH; bz += gridDim.z)
                  for (i64 by = blockIdx.y; by < tilesR; by += gridDim.y)
                  for (i64 bx = blockIdx.x; bx < tilesC; bx += gridDim.x) {
                    const i64 r0 = by * {{Tile}}, c0 = bx * {{Tile}};
                    for (int j = threadIdx.y; j < {{Tile}}; j += {{TileRows}}) {
                      const i64 r = r0 + j, c = c0 + threadIdx.x;
                      if (r < ROWS && c < COLS) tile[j][threadIdx.x] = x[(bz * ROWS + r) * COLS + c];
                    }
                    __syncthreads();
                    for (int j = threadIdx.y; j < {{Tile}}; j += {{TileRows}}) {
                      const i64 c = c0 + j, r = r0 + threadIdx.x;
                      if (r < ROWS && c < COLS) y[(bz * COLS + c) * ROWS + r] = tile[threadIdx.x][j];
                    }
                    __syncthreads();
                  }
                }

                """;
            var (source, entry) = CudaSource.Build("transpose_tiled", body);
            var grid = new Dim3(
                (uint)Math.Clamp(LaunchGeometry.CeilDiv(c, Tile), 1, int.MaxValue),
                (uint)Math.Clamp(LaunchGeometry.CeilDiv(r, Tile), 1, 65535),
                (uint)Math.Clamp(b, 1, 65535));
            return [new KernelLaunch(source, entry, grid, new Dim3(Tile, TileRows), 0, [new BufferArg(step.X), new BufferArg(step.Y)])];
        }

        var inStrides = new long[shape.Length];
        long stride = 1;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            inStrides[d] = stride;
            stride *= shape[d];
        }
        var layout = BroadcastLayout.FromStrides(perm.Select(a => shape[a]).ToArray(), perm.Select(a => inStrides[a]).ToArray());
        return [MoveKernel.Gathered("transpose", t, layout, 0, n, step.X, step.Y)];
    }
}
