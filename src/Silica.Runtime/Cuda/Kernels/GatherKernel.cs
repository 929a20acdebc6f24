using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Kernels;

/// <summary>
/// ONNX Gather over Data viewed as [Outer, Axis, Inner]: Y[o, j, i] = Data[o, wrap(Indices[j]), i]. Negative indices
/// count from the end; out-of-range ones are clamped rather than read out of bounds (ONNX calls them an error).
/// </summary>
internal static class GatherKernel
{
    public static IReadOnlyList<KernelLaunch> Emit(GatherStep step, ExecutionPlan plan)
    {
        var data = plan[step.Data];
        var indices = plan[step.Indices];
        var count = plan[step.Y].ElementCount;
        if (count == 0)
        {
            return [];
        }
        var axis = step.Axis < 0 ? step.Axis + data.Shape.Length : step.Axis;
        var axisLen = data.Shape[axis];
        var inner = data.Shape.Skip(axis + 1).Aggregate(1L, (a, d) => a * d);
        var indexType = indices.Type switch
        {
            TensorDataType.Int64 => "long long",
            TensorDataType.Int32 => "int",
            _ => throw new NotSupportedException($"Gather indices of type {indices.Type}."),
        };
        var t = CudaSource.RawType(data.Type);
        var body = $$"""
            #define AXIS {{axisLen}}LL
            #define INNER {{inner}}LL
            #define NIDX {{indices.ElementCount}}LL
            extern "C" __global__ void @K(const {{t}}* x, const {{indexType}}* idx, {{t}}* y, i64 n) {
              for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < n; i += (i64)gridDim.x * blockDim.x) {
                const i64 in = i % INNER, t = i / INNER, j = t % NIDX, o = t / NIDX;
                i64 k = (i64)idx[j];
                if (k < 0) k += AXIS;
                k = k < 0 ? 0 : (k >= AXIS ? AXIS - 1 : k);
                y[i] = x[(o * AXIS + k) * INNER + in];
              }
            }

            """;
        var (source, entry) = CudaSource.Build("gather", body);
        return [new KernelLaunch(source, entry, LaunchGeometry.Linear(count), LaunchGeometry.Block, 0,
            [new BufferArg(step.Data), new BufferArg(step.Indices), new BufferArg(step.Y), new Int64Arg(count)])];
    }
}
