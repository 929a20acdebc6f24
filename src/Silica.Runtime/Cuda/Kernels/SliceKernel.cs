using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Cuda.Kernels;

/// <summary>Slice and Expand: both are index maps from Y to X, moved by bytes through <see cref="MoveKernel"/>.</summary>
internal static class SliceKernel
{
    /// <summary>Y[i] = X[Starts + i·Steps]: X's offset is Σ Starts_d·stride_d plus Y's index times Steps_d·stride_d.</summary>
    public static IReadOnlyList<KernelLaunch> EmitSlice(SliceStep step, ExecutionPlan plan)
    {
        var x = plan[step.X];
        var y = plan[step.Y];
        if (y.ElementCount == 0)
        {
            return [];
        }
        var rank = x.Shape.Length;
        var strides = new long[rank];
        long stride = 1;
        long baseOffset = 0;
        for (var d = rank - 1; d >= 0; d--)
        {
            strides[d] = stride * step.Steps[d];
            baseOffset += step.Starts[d] * stride;
            stride *= x.Shape[d];
        }
        var layout = BroadcastLayout.FromStrides(y.Shape.Length == 0 ? [1] : y.Shape, y.Shape.Length == 0 ? [0] : strides);
        return [MoveKernel.Gathered("slice", CudaSource.RawType(x.Type), layout, baseOffset, y.ElementCount, step.X, step.Y)];
    }

    public static IReadOnlyList<KernelLaunch> EmitExpand(ExpandStep step, ExecutionPlan plan)
    {
        var x = plan[step.X];
        var y = plan[step.Y];
        if (y.ElementCount == 0)
        {
            return [];
        }
        var layout = BroadcastLayout.Create(y.Shape, [x.Shape]);
        return [MoveKernel.Gathered("expand", CudaSource.RawType(x.Type), layout, 0, y.ElementCount, step.X, step.Y)];
    }
}
