using System.Text;

namespace Silica.Runtime.Cuda.Kernels;

/// <summary>The shared byte-moving kernel: y[i] = x[base + Σ index_d · stride_d] over an output layout.</summary>
internal static class MoveKernel
{
    public static KernelLaunch Gathered(string prefix, string rawType, BroadcastLayout layout, long baseOffset, long count, int x, int y)
    {
        // Move whole runs of the contiguous innermost axis as one wider word (up to 16 bytes) when every stride and
        // the base allow it: a BERT head transpose then moves 16 bytes per thread instead of 2.
        var (wideType, width) = Widen(rawType, layout, baseOffset);
        if (width > 1)
        {
            var shape = (long[])layout.Shape.Clone();
            shape[^1] /= width;
            var strides = layout.Strides.Select(st => st.Select((v, d) => d == st.Length - 1 ? v : v / width).ToArray()).ToArray();
            layout = BroadcastLayout.FromStrides(shape, strides);
            rawType = wideType;
            baseOffset /= width;
            count /= width;
        }
        var body = new StringBuilder();
        body.Append($"extern \"C\" __global__ void @K(const {rawType}* x, {rawType}* y, i64 n) {{\n");
        body.Append("  for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) {\n");
        ElementwiseKernel.AppendOffsets(body, layout, "    ");
        body.Append($"    y[i] = x[o0 + {baseOffset}LL];\n  }}\n}}\n");
        var (source, entry) = CudaSource.Build(prefix, body.ToString());
        return new KernelLaunch(source, entry, LaunchGeometry.Linear(count), LaunchGeometry.Block, 0,
            [new BufferArg(x), new BufferArg(y), new Int64Arg(count)]);
    }

    /// <summary>The widest word (≤ 16 bytes) that whole groups of innermost elements can move as, and the group size.</summary>
    internal static (string Type, long Width) Widen(string rawType, BroadcastLayout layout, long baseOffset)
    {
        var elementBytes = rawType switch
        {
            "unsigned char" => 1,
            "unsigned short" => 2,
            "unsigned int" => 4,
            "unsigned long long" => 8,
            _ => 0,
        };
        if (elementBytes == 0 || layout.Rank == 0 || layout.Strides.Length != 1 || layout.Strides[0][^1] != 1)
        {
            return (rawType, 1);
        }
        var inner = layout.Shape[^1];
        foreach (var bytes in new[] { 16, 8, 4 })
        {
            var width = bytes / elementBytes;
            if (width <= 1 || inner % width != 0 || baseOffset % width != 0)
            {
                continue;
            }
            var strides = layout.Strides[0];
            var ok = true;
            for (var d = 0; d < strides.Length - 1; d++)
            {
                ok &= strides[d] % width == 0;
            }
            if (ok)
            {
                return (bytes switch { 16 => "uint4", 8 => "uint2", _ => "unsigned int" }, width);
            }
        }
        return (rawType, 1);
    }
}
