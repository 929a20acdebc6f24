using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Squeeze and Unsqueeze; axes are an attribute before opset 13 and an input from 13 on.</summary>
internal static class SqueezeShapes
{
    public static void Register(OpRegistry r)
    {
        r.Add("Squeeze", Squeeze);
        r.Add("Unsqueeze", Unsqueeze);
    }

    private static void Squeeze(NodeContext c)
    {
        var input = c.InputType(0);
        var axes = c.AttributeOrInputLongs("axes", 1, 13, out var known);
        if (!known || input.Shape is null)
        {
            c.SetOutput(0, input.ElementType, null);
            return;
        }
        var shape = input.Shape;
        var remove = new HashSet<int>();
        if (axes is null)
        {
            for (var i = 0; i < shape.Rank; i++)
            {
                if (!shape[i].IsKnown)
                {
                    // Without axes, a symbolic dimension might or might not be 1: the rank is not known.
                    c.SetOutput(0, input.ElementType, null);
                    return;
                }
                if (shape[i].KnownValue == 1)
                {
                    remove.Add(i);
                }
            }
        }
        else
        {
            foreach (var a in axes)
            {
                var axis = c.NormalizeAxis(a, shape.Rank);
                if (shape[axis].IsKnown && shape[axis].KnownValue != 1)
                {
                    throw c.Fail($"cannot squeeze axis {a} of size {shape[axis]}");
                }
                remove.Add(axis);
            }
        }
        var result = new TensorShape(shape.Where((_, i) => !remove.Contains(i)));
        c.SetOutput(0, input.ElementType, result);
        if (c.Known(0) is { } k && result.IsStatic)
        {
            c.SetKnown(0, k.WithDims(result.ToArray()));
        }
    }

    private static void Unsqueeze(NodeContext c)
    {
        var input = c.InputType(0);
        var axes = c.AttributeOrInputLongs("axes", 1, 13, out var known);
        if (axes is null && known)
        {
            throw c.Fail("axes are missing");
        }
        if (input.Shape is null || axes is null)
        {
            // Unknown axes of a known count still give the rank.
            var count = c.HasInput(1) && c.OptionalInputShape(1) is { Rank: 1 } a && a[0].IsKnown ? a[0].KnownValue : -1;
            c.SetOutput(0, input.ElementType, input.Shape is { } s && count >= 0 ? TensorShape.UnknownOfRank(s.Rank + (int)count) : null);
            return;
        }
        var rank = input.Shape.Rank + axes.Length;
        var inserted = new HashSet<int>();
        foreach (var a in axes)
        {
            if (!inserted.Add(c.NormalizeAxis(a, rank)))
            {
                throw c.Fail($"axis {a} is repeated");
            }
        }
        var dims = new Dim[rank];
        var next = 0;
        for (var i = 0; i < rank; i++)
        {
            dims[i] = inserted.Contains(i) ? Dim.Of(1) : input.Shape[next++];
        }
        var result = new TensorShape(dims);
        c.SetOutput(0, input.ElementType, result);
        if (c.Known(0) is { } k && result.IsStatic)
        {
            c.SetKnown(0, k.WithDims(result.ToArray()));
        }
    }
}
