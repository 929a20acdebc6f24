using Silica.Onnx.Graph;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>ONNX Slice parameters (attributes before opset 10, constant inputs after) normalised to every axis.</summary>
internal static class SliceParams
{
    public static (long[] Starts, long[] Steps) Resolve(Node node, long[] dims, Func<Value?, HostTensor?> input, long opset)
    {
        long[] starts, ends;
        long[]? axes, steps = null;
        if (opset < 10)
        {
            starts = node.Attributes.GetInts("starts") ?? throw PlanException.For(node, "starts missing");
            ends = node.Attributes.GetInts("ends") ?? throw PlanException.For(node, "ends missing");
            axes = node.Attributes.GetInts("axes");
        }
        else
        {
            long[] Const(int i) => (input(node.Input(i)) ?? throw PlanException.For(node, $"input {i} must be a constant")).ToLongs();
            starts = Const(1);
            ends = Const(2);
            axes = node.Input(3) is null ? null : Const(3);
            steps = node.Input(4) is null ? null : Const(4);
        }
        var rank = dims.Length;
        var allStarts = new long[rank];
        var allSteps = Enumerable.Repeat(1L, rank).ToArray();
        for (var i = 0; i < starts.Length; i++)
        {
            var axis = (int)(axes is null ? i : axes[i] < 0 ? axes[i] + rank : axes[i]);
            var step = steps?[i] ?? 1;
            if (step == 0)
            {
                throw PlanException.For(node, "slice step 0");
            }
            var d = dims[axis];
            var s = starts[i] < 0 ? starts[i] + d : starts[i];
            s = step > 0 ? Math.Clamp(s, 0, d) : Math.Clamp(s, 0, Math.Max(d - 1, 0));
            allStarts[axis] = s;
            allSteps[axis] = step;
        }
        return (allStarts, allSteps);
    }

    /// <summary>Split sizes from the attribute (opset &lt; 13) or the constant input, else equal parts.</summary>
    public static long[] SplitSizes(Node node, long dim, Func<Value?, HostTensor?> input, long opset)
    {
        var sizes = opset < 13 ? node.Attributes.GetInts("split")
            : node.Input(1) is { } v ? (input(v) ?? throw PlanException.For(node, "split sizes must be constant")).ToLongs() : null;
        if (sizes is not null)
        {
            return sizes;
        }
        var n = node.Outputs.Count;
        var chunk = (dim + n - 1) / n;
        return [.. Enumerable.Range(0, n).Select(i => Math.Min(chunk, dim - (i * chunk)))];
    }
}
