using System.Text;

namespace Silica.Runtime.Cuda.Kernels;

/// <summary>The shared byte-moving kernel: y[i] = x[base + Σ index_d · stride_d] over an output layout.</summary>
internal static class MoveKernel
{
    public static KernelLaunch Gathered(string prefix, string rawType, BroadcastLayout layout, long baseOffset, long count, int x, int y)
    {
        var body = new StringBuilder();
        body.Append($"extern \"C\" __global__ void @K(const {rawType}* x, {rawType}* y, i64 n) {{\n");
        body.Append("  for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) {\n");
        ElementwiseKernel.AppendOffsets(body, layout, "    ");
        body.Append($"    y[i] = x[o0 + {baseOffset}LL];\n  }}\n}}\n");
        var (source, entry) = CudaSource.Build(prefix, body.ToString());
        return new KernelLaunch(source, entry, LaunchGeometry.Linear(count), LaunchGeometry.Block, 0,
            [new BufferArg(x), new BufferArg(y), new Int64Arg(count)]);
    }
}
