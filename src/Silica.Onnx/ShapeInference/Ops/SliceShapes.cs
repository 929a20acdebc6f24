using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Slice: starts/ends/axes are attributes before opset 10, inputs (with steps) from 10 on.</summary>
internal static class SliceShapes
{
    public static void Register(OpRegistry r) => r.Add("Slice", Slice);

    private static void Slice(NodeContext c)
    {
        var input = c.InputType(0);
        long[]? starts, ends, axes, steps = null;
        var known = true;
        if (c.Opset < 10)
        {
            starts = c.Attributes.GetInts("starts");
            ends = c.Attributes.GetInts("ends");
            axes = c.Attributes.GetInts("axes");
        }
        else
        {
            starts = c.KnownLongs(1);
            ends = c.KnownLongs(2);
            axes = c.HasInput(3) ? c.KnownLongs(3) : null;
            steps = c.HasInput(4) ? c.KnownLongs(4) : null;
            known = starts is not null && ends is not null && (axes is not null || !c.HasInput(3)) && (steps is not null || !c.HasInput(4));
        }
        if (input.Shape is not { } shape)
        {
            c.SetOutput(0, input.ElementType, null);
            return;
        }
        if (!known)
        {
            SetPartlyUnknown(c, input.ElementType, shape, axes);
            return;
        }
        if (starts is null || ends is null || starts.Length != ends.Length)
        {
            throw c.Fail("starts and ends must be given with the same length");
        }
        axes ??= [.. Enumerable.Range(0, starts.Length).Select(i => (long)i)];
        steps ??= [.. Enumerable.Repeat(1L, starts.Length)];
        if (axes.Length != starts.Length || steps.Length != starts.Length)
        {
            throw c.Fail("axes and steps must have the length of starts");
        }
        var dims = shape.ToArray<Dim>();
        var ranges = new (long Start, long Step)[shape.Rank];
        for (var a = 0; a < ranges.Length; a++)
        {
            ranges[a] = (0, 1);
        }
        for (var i = 0; i < starts.Length; i++)
        {
            var axis = c.NormalizeAxis(axes[i], shape.Rank);
            if (steps[i] == 0)
            {
                throw c.Fail("a step is 0");
            }
            var d = shape[axis];
            if (!d.IsKnown)
            {
                // A whole-axis slice keeps a symbolic dimension; anything else depends on its value.
                var whole = starts[i] == 0 && steps[i] == 1 && ends[i] >= int.MaxValue;
                dims[axis] = whole ? d : Dim.Unknown;
                continue;
            }
            var (start, length) = Clamp(d.KnownValue, starts[i], ends[i], steps[i]);
            dims[axis] = Dim.Of(length);
            ranges[axis] = (start, steps[i]);
        }
        var result = new TensorShape(dims);
        c.SetOutput(0, input.ElementType, result);
        if (c.Known(0) is { } k && result.IsStatic && shape.Rank == 1)
        {
            var n = (int)result[0].KnownValue;
            var (start, step) = ranges[0];
            var idx = Enumerable.Range(0, n).Select(j => (int)(start + (j * step))).ToArray();
            c.SetKnown(0, k.Ints is not null
                ? KnownTensor.OfInts(k.Type, [n], [.. idx.Select(j => k.Ints[j])])
                : KnownTensor.OfFloats(k.Type, [n], [.. idx.Select(j => k.Floats![j])]));
        }
    }

    /// <summary>The ONNX clamping rules: returns the first index and the number of elements taken.</summary>
    internal static (long Start, long Length) Clamp(long dim, long start, long end, long step)
    {
        start = start < 0 ? start + dim : start;
        end = end < 0 ? end + dim : end;
        if (step > 0)
        {
            start = Math.Clamp(start, 0, dim);
            end = Math.Clamp(end, 0, dim);
        }
        else
        {
            start = Math.Clamp(start, 0, dim - 1);
            end = Math.Clamp(end, -1, dim - 1);
        }
        var length = (long)Math.Ceiling((double)(end - start) / step);
        return (start, Math.Max(0, length));
    }

    /// <summary>When starts or ends are not known, the sliced axes (all axes when those are unknown too) are unknown.</summary>
    private static void SetPartlyUnknown(NodeContext c, TensorDataType type, TensorShape shape, long[]? axes)
    {
        var dims = shape.ToArray<Dim>();
        if (axes is null && c.HasInput(3))
        {
            c.SetOutput(0, type, TensorShape.UnknownOfRank(shape.Rank));
            return;
        }
        axes ??= c.OptionalInputShape(1) is { Rank: 1 } s && s[0].IsKnown ? [.. Enumerable.Range(0, (int)s[0].KnownValue).Select(i => (long)i)] : null;
        if (axes is null)
        {
            c.SetOutput(0, type, TensorShape.UnknownOfRank(shape.Rank));
            return;
        }
        foreach (var a in axes)
        {
            dims[c.NormalizeAxis(a, shape.Rank)] = Dim.Unknown;
        }
        c.SetOutput(0, type, new TensorShape(dims));
    }
}
