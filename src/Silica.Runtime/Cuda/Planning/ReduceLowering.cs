using Silica.Onnx.Graph;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>ReduceSum/Mean/Max/Min → <see cref="ReduceStep"/> over merged adjacent axes (transposing first when they are not adjacent).</summary>
internal static class ReduceLowering
{
    public static void Lower(PlanBuilder b, Node node)
    {
        var x = node.Input(0)!;
        var shape = PlanBuilder.ShapeOf(x);
        var axes = Axes(b, node, shape.Length);
        var y = node.Output(0)!;
        var kind = node.OpType switch
        {
            "ReduceSum" => ReduceKind.Sum,
            "ReduceMean" => ReduceKind.Mean,
            "ReduceMax" => ReduceKind.Max,
            _ => ReduceKind.Min,
        };
        var xId = b.Buf(x);
        // Mean over H,W of NCHW is global average pooling.
        if (kind == ReduceKind.Mean && shape.Length == 4 && axes.SequenceEqual([2, 3]))
        {
            var yId = b.OutputBuffer(y);
            var y4 = PlanBuilder.ShapeOf(y).Length == 4 ? yId : b.View(yId, y.Name + ".4d", [shape[0], shape[1], 1, 1]);
            b.Emit(new PoolStep(node.Name, PoolKind.GlobalAverage, xId, y4, [(int)shape[2], (int)shape[3]], [0, 0, 0, 0], [1, 1], false));
            return;
        }
        var adjacent = axes.Length == 0 || axes[^1] - axes[0] == axes.Length - 1;
        if (!adjacent)
        {
            int[] perm = [.. Enumerable.Range(0, shape.Length).Where(a => !axes.Contains(a)), .. axes];
            var tShape = perm.Select(p => shape[p]).ToArray();
            var t = b.NewBuffer($"{node.Name}.transposed", b.Buffers[xId].Type, tShape, BufferKind.Arena);
            b.Emit(new TransposeStep($"{node.Name}.transpose", xId, t, perm));
            b.Note($"transposed the input of {node.Name} so its reduced axes are adjacent");
            xId = t;
            shape = tShape;
            axes = [.. Enumerable.Range(shape.Length - axes.Length, axes.Length)];
        }
        long outer = 1, reduced = 1, inner = 1;
        for (var d = 0; d < shape.Length; d++)
        {
            if (axes.Length > 0 && d < axes[0])
            {
                outer *= shape[d];
            }
            else if (axes.Contains(d))
            {
                reduced *= shape[d];
            }
            else
            {
                inner *= shape[d];
            }
        }
        b.Emit(new ReduceStep(node.Name, kind, xId, b.OutputBuffer(y), outer, reduced, inner));
    }

    /// <summary>Sorted, non-negative reduced axes; all axes when none are given (noop_with_empty_axes unsupported).</summary>
    public static int[] Axes(PlanBuilder b, Node node, int rank)
    {
        long[]? axes = node.Attributes.GetInts("axes");
        if (axes is null && node.Input(1) is { } v)
        {
            axes = (b.ConstantOf(v) ?? throw PlanException.For(node, "axes must be a constant")).ToLongs();
        }
        if (axes is null || axes.Length == 0)
        {
            if (node.Attributes.GetInt("noop_with_empty_axes", 0) != 0)
            {
                throw PlanException.For(node, "noop_with_empty_axes is not supported");
            }
            return [.. Enumerable.Range(0, rank)];
        }
        return [.. axes.Select(a => (int)(a < 0 ? a + rank : a)).Distinct().Order()];
    }
}
