using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Operators that grow a tensor by a known amount: Expand, Tile, Pad.</summary>
internal static class ExpandTileShapes
{
    public static void Register(OpRegistry r)
    {
        r.Add("Expand", Expand);
        r.Add("Tile", Tile);
        r.Add("Pad", Pad);
    }

    /// <summary>Bidirectional broadcast of the input with the requested shape (whose elements may be symbols).</summary>
    private static void Expand(NodeContext c)
    {
        var input = c.InputType(0);
        var target = c.Known(1)?.Ints;
        if (target is null || input.Shape is null)
        {
            var len = c.InputShape(1);
            var rank = len.Rank == 1 && len[0].IsKnown ? (int)len[0].KnownValue : -1;
            c.SetOutput(0, input.ElementType, rank >= 0 && input.Shape is { } s ? TensorShape.UnknownOfRank(Math.Max(rank, s.Rank)) : null);
            return;
        }
        var shape = DimMath.Broadcast(c, input.Shape, new TensorShape(target.Select(t => t.IsKnown && t.Value < 0 ? throw c.Fail("negative size") : t.ToDim())));
        c.SetOutput(0, input.ElementType, shape);
        if (c.Known(0) is { } k && shape.IsStatic)
        {
            var ones = KnownTensor.OfInts(TensorDataType.Int64, shape.ToArray(), [.. Enumerable.Repeat(SymbolicInt.Of(1), (int)shape.ElementCount!.Value)]);
            if (shape.ElementCount <= KnownTensor.MaxElements
                && ConstantFolder.Elementwise([k, ones], k.Type, xs => xs[0], xs => xs[0]) is { } expanded)
            {
                c.SetKnown(0, expanded);
            }
        }
    }

    private static void Tile(NodeContext c)
    {
        var input = c.InputType(0);
        var repeats = c.KnownLongs(1);
        if (input.Shape is not { } shape)
        {
            c.SetOutput(0, input.ElementType, null);
            return;
        }
        if (repeats is null)
        {
            c.SetOutput(0, input.ElementType, TensorShape.UnknownOfRank(shape.Rank));
            return;
        }
        if (repeats.Length != shape.Rank || repeats.Any(r => r < 0))
        {
            throw c.Fail($"repeats [{string.Join(",", repeats)}] do not match rank {shape.Rank}");
        }
        c.SetOutput(0, input.ElementType, new TensorShape(shape.Select((d, i) => DimMath.Multiply(d, repeats[i]))));
    }

    /// <summary>pads is an attribute before opset 11 and an input after; opset 18 adds an axes input.</summary>
    private static void Pad(NodeContext c)
    {
        var input = c.InputType(0);
        if (input.Shape is not { } shape)
        {
            c.SetOutput(0, input.ElementType, null);
            return;
        }
        var pads = c.Opset < 11 ? c.Attributes.GetInts("paddings") ?? c.Attributes.GetInts("pads") : c.KnownLongs(1);
        if (pads is null)
        {
            c.SetOutput(0, input.ElementType, TensorShape.UnknownOfRank(shape.Rank));
            return;
        }
        long[]? axes = c.Opset >= 18 && c.HasInput(3) ? c.KnownLongs(3) : [.. Enumerable.Range(0, shape.Rank).Select(i => (long)i)];
        if (axes is null)
        {
            c.SetOutput(0, input.ElementType, TensorShape.UnknownOfRank(shape.Rank));
            return;
        }
        if (pads.Length != 2 * axes.Length)
        {
            throw c.Fail($"pads has {pads.Length} entries for {axes.Length} axes");
        }
        var dims = shape.ToArray<Dim>();
        for (var i = 0; i < axes.Length; i++)
        {
            var axis = c.NormalizeAxis(axes[i], shape.Rank);
            var extra = pads[i] + pads[i + axes.Length];
            dims[axis] = extra == 0 ? dims[axis] : DimMath.Map(dims[axis], n => n + extra);
        }
        c.SetOutput(0, input.ElementType, new TensorShape(dims));
    }
}
