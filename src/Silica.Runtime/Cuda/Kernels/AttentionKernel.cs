using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Kernels;

/// <summary>
/// Flash-style attention on CUDA cores: a block per (tile of 64 query rows, batch·head), one thread per query row
/// holding its scaled query and FP32 accumulator in registers, key/value tiles staged in shared memory as float, and
/// an online softmax that rescales the accumulator only when the running max grows. Masked (−∞) scores and, with
/// Causal, keys after the query row (upper-left alignment, as ONNX Attention's is_causal) contribute nothing; a row
/// with no visible key writes zeros. Correct for any SeqQ/SeqK/HeadDim.
/// </summary>
internal static class AttentionKernel
{
    public const int QueryTile = 64;

    // Two float tiles of KeyTile × HeadDim stay within 32 KiB of static shared memory.
    public static int KeyTile(long headDim) => (int)Math.Clamp(4096 / headDim, 1, 64);

    public static IReadOnlyList<KernelLaunch> Emit(AttentionStep step, ExecutionPlan plan)
    {
        if (step.Batch * step.Heads * step.SeqQ == 0 || step.HeadDim == 0)
        {
            return [];
        }
        var hasMask = step.Mask >= 0;
        var t = (int id) => CudaSource.StorageType(plan[id].Type);
        var parameters = $"const {t(step.Q)}* q, const {t(step.K)}* k, const {t(step.V)}* v"
            + (hasMask ? $", const {t(step.Mask)}* mask" : "") + $", {t(step.Y)}* y";
        var ms = hasMask ? step.MaskStrides : [0L, 0, 0, 0];
        var maskTerm = hasMask ? "s += ld_f(mask, mbase + row * MS_Q + key * MS_K);" : "";
        var yIndex = step.OutputBshd
            ? "((b * SQ + row) * HEADS + h) * D + d"
            : "((b * HEADS + h) * SQ + row) * D + d";
        var body = $$"""
            #define HEADS {{step.Heads}}LL
            #define SQ {{step.SeqQ}}LL
            #define SK {{step.SeqK}}LL
            #define D {{step.HeadDim}}
            #define BQ {{QueryTile}}
            #define BK {{KeyTile(step.HeadDim)}}
            #define CAUSAL {{(step.Causal ? 1 : 0)}}
            #define QS_B {{step.QStrides[0]}}LL
            #define QS_H {{step.QStrides[1]}}LL
            #define QS_S {{step.QStrides[2]}}LL
            #define QS_D {{step.QStrides[3]}}LL
            #define KS_B {{step.KStrides[0]}}LL
            #define KS_H {{step.KStrides[1]}}LL
            #define KS_S {{step.KStrides[2]}}LL
            #define KS_D {{step.KStrides[3]}}LL
            #define VS_B {{step.VStrides[0]}}LL
            #define VS_H {{step.VStrides[1]}}LL
            #define VS_S {{step.VStrides[2]}}LL
            #define VS_D {{step.VStrides[3]}}LL
            #define MS_B {{ms[0]}}LL
            #define MS_H {{ms[1]}}LL
            #define MS_Q {{ms[2]}}LL
            #define MS_K {{ms[3]}}LL
            extern "C" __global__ void __launch_bounds__(BQ) @K({{parameters}}, i64 bh_count) {
              __shared__ float ks[BK][D];
              __shared__ float vs[BK][D];
              const i64 row = (i64)blockIdx.x * BQ + threadIdx.x;
              const bool active = row < SQ;
              const float scale = {{CudaSource.Float(step.Scale)}};
              for (i64 bh = blockIdx.y; bh < bh_count; bh += gridDim.y) {
                const i64 b = bh / HEADS, h = bh % HEADS;
                const i64 kbase = b * KS_B + h * KS_H, vbase = b * VS_B + h * VS_H, mbase = b * MS_B + h * MS_H;
                float qr[D], acc[D];
                #pragma unroll
                for (int d = 0; d < D; d++) {
                  qr[d] = active ? ld_f(q, b * QS_B + h * QS_H + row * QS_S + d * QS_D) * scale : 0.0f;
                  acc[d] = 0.0f;
                }
                float m = -SILICA_INF, l = 0.0f;
                // With CAUSAL no row of this block sees keys past its last row; the bound is uniform across the block.
                const i64 last_row = (i64)blockIdx.x * BQ + BQ - 1;
                const i64 key_end = CAUSAL ? (last_row + 1 < SK ? last_row + 1 : SK) : SK;
                for (i64 k0 = 0; k0 < key_end; k0 += BK) {
                  __syncthreads();
                  for (int e = threadIdx.x; e < BK * D; e += BQ) {
                    const int kk = e / D, d = e % D;
                    const i64 key = k0 + kk;
                    ks[kk][d] = key < SK ? ld_f(k, kbase + key * KS_S + d * KS_D) : 0.0f;
                    vs[kk][d] = key < SK ? ld_f(v, vbase + key * VS_S + d * VS_D) : 0.0f;
                  }
                  __syncthreads();
                  if (!active) continue;
                  const int kn = (int)(SK - k0 < BK ? SK - k0 : BK);
                  for (int kk = 0; kk < kn; kk++) {
                    const i64 key = k0 + kk;
                    if (CAUSAL && key > row) break;
                    float s = 0.0f;
                    #pragma unroll
                    for (int d = 0; d < D; d++) s += qr[d] * ks[kk][d];
                    {{maskTerm}}
                    if (s == -SILICA_INF) continue;
                    if (s > m) {
                      const float corr = __expf(m - s);
                      l *= corr;
                      #pragma unroll
                      for (int d = 0; d < D; d++) acc[d] *= corr;
                      m = s;
                    }
                    const float p = __expf(s - m);
                    l += p;
                    #pragma unroll
                    for (int d = 0; d < D; d++) acc[d] += p * vs[kk][d];
                  }
                }
                if (active) {
                  const float inv = l > 0.0f ? 1.0f / l : 0.0f;
                  #pragma unroll
                  for (int d = 0; d < D; d++) st_f(y, {{yIndex}}, acc[d] * inv);
                }
              }
            }

            """;
        var (source, entry) = CudaSource.Build("attention", body);
        var bhCount = step.Batch * step.Heads;
        var grid = new Dim3((uint)LaunchGeometry.CeilDiv(step.SeqQ, QueryTile), (uint)Math.Clamp(bhCount, 1, 65535));
        var args = new List<KernelArg> { new BufferArg(step.Q), new BufferArg(step.K), new BufferArg(step.V) };
        if (hasMask)
        {
            args.Add(new BufferArg(step.Mask));
        }
        args.Add(new BufferArg(step.Y));
        args.Add(new Int64Arg(bhCount));
        return [new KernelLaunch(source, entry, grid, new Dim3(QueryTile), 0, args)];
    }
}
