using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>
/// Reductions. Axes are an attribute until opset 12 for ReduceSum and until 17 for the others, then an
/// optional input; with no axes every axis is reduced unless noop_with_empty_axes is set.
/// </summary>
internal static class ReduceShapes
{
    private static readonly string[] Reductions =
    [
        "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2", "ReduceLogSum",
        "ReduceLogSumExp", "ReduceSumSquare",
    ];

    public static void Register(OpRegistry r)
    {
        r.Add(Reductions, c => Reduce(c, 18));
        r.Add("ReduceSum", c => Reduce(c, 13));
        r.Add(["ArgMax", "ArgMin"], ArgReduce);
    }

    private static void Reduce(NodeContext c, long axesInputSince)
    {
        var input = c.InputType(0);
        var keepDims = c.Attributes.GetInt("keepdims", 1) != 0;
        var axes = c.AttributeOrInputLongs("axes", 1, axesInputSince, out var known);
        if (input.Shape is not { } shape || !known)
        {
            // Unknown axes: with keepdims the rank is still that of the input.
            c.SetOutput(0, input.ElementType, keepDims && input.Shape is { } s ? TensorShape.UnknownOfRank(s.Rank) : null);
            return;
        }
        if (axes is null or { Length: 0 })
        {
            if (c.Opset >= axesInputSince && c.Attributes.GetInt("noop_with_empty_axes", 0) != 0)
            {
                c.SetOutput(0, input);
                return;
            }
            axes = [.. Enumerable.Range(0, shape.Rank).Select(i => (long)i)];
        }
        var reduced = axes.Select(a => c.NormalizeAxis(a, shape.Rank)).ToHashSet();
        c.SetOutput(0, input.ElementType, Reduced(shape, reduced, keepDims));
    }

    private static void ArgReduce(NodeContext c)
    {
        var shape = c.InputShape(0);
        var axis = c.NormalizeAxis(c.Attributes.GetInt("axis", 0), shape.Rank);
        c.SetOutput(0, TensorDataType.Int64, Reduced(shape, [axis], c.Attributes.GetInt("keepdims", 1) != 0));
    }

    private static TensorShape Reduced(TensorShape shape, HashSet<int> axes, bool keepDims)
    {
        var dims = new List<Dim>();
        for (var i = 0; i < shape.Rank; i++)
        {
            if (!axes.Contains(i))
            {
                dims.Add(shape[i]);
            }
            else if (keepDims)
            {
                dims.Add(Dim.Of(1));
            }
        }
        return new TensorShape(dims);
    }
}
