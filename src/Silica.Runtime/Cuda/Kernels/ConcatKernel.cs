using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Kernels;

/// <summary>
/// Concat as one copy kernel per input into its column range of Y viewed as [Outer, Σ width]; the offset is an
/// argument so equal-shaped inputs (Q/K/V pieces) share one compiled source.
/// </summary>
internal static class ConcatKernel
{
    public static IReadOnlyList<KernelLaunch> Emit(ConcatStep step, ExecutionPlan plan)
    {
        var y = plan[step.Y];
        var axis = step.Axis < 0 ? step.Axis + y.Shape.Length : step.Axis;
        var outer = y.Shape.Take(axis).Aggregate(1L, (a, d) => a * d);
        var inner = y.Shape.Skip(axis + 1).Aggregate(1L, (a, d) => a * d);
        var total = y.Shape[axis] * inner;
        var t = CudaSource.RawType(y.Type);
        var launches = new List<KernelLaunch>();
        long offset = 0;
        foreach (var id in step.Inputs)
        {
            var width = plan[id].Shape[axis] * inner;
            var count = outer * width;
            if (count > 0)
            {
                var body = $$"""
                    #define WIDTH {{width}}LL
                    #define TOTAL {{total}}LL
                    extern "C" __global__ void @K(const {{t}}* x, {{t}}* y, i64 offset, i64 n) {
                      for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) {
                        y[(i / WIDTH) * TOTAL + offset + i % WIDTH] = x[i];
                      }
                    }

                    """;
                var (source, entry) = CudaSource.Build("concat", body);
                launches.Add(new KernelLaunch(source, entry, LaunchGeometry.Linear(count), LaunchGeometry.Block, 0,
                    [new BufferArg(id), new BufferArg(step.Y), new Int64Arg(offset), new Int64Arg(count)]));
            }
            offset += width;
        }
        return launches;
    }
}
