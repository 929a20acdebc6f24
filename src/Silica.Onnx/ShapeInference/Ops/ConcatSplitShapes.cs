using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Concat (with known values, the heart of shape-building subgraphs) and Split.</summary>
internal static class ConcatSplitShapes
{
    public static void Register(OpRegistry r)
    {
        r.Add("Concat", Concat);
        r.Add("Split", Split);
    }

    private static void Concat(NodeContext c)
    {
        var inputs = Enumerable.Range(0, c.InputCount).Where(c.HasInput).ToArray();
        if (inputs.Length == 0)
        {
            throw c.Fail("Concat needs at least one input");
        }
        var type = c.InputElementType(inputs[0]);
        var shapes = inputs.Select(c.OptionalInputShape).ToArray();
        var first = shapes.FirstOrDefault(s => s is not null);
        if (first is null)
        {
            c.SetOutput(0, type, null);
            return;
        }
        if (!c.Attributes.Has("axis") && c.Opset >= 4)
        {
            throw c.Fail("attribute 'axis' is missing");
        }
        var axis = c.NormalizeAxis(c.Attributes.GetInt("axis", 1), first.Rank);
        if (shapes.Any(s => s is not null && s.Rank != first.Rank))
        {
            throw c.Fail("inputs have different ranks");
        }
        var dims = new Dim[first.Rank];
        for (var d = 0; d < dims.Length; d++)
        {
            dims[d] = d == axis
                ? (shapes.Any(s => s is null) ? Dim.Unknown : DimMath.Sum(shapes.Select(s => s![d])))
                : shapes.Where(s => s is not null).Select(s => s![d]).Aggregate(DimMath.Merge);
        }
        c.SetOutput(0, type, new TensorShape(dims));
        // Known 1-D pieces (shape vectors) concatenate into a known vector, symbols included.
        var known = inputs.Select(c.Known).ToArray();
        if (first.Rank == 1 && known.All(k => k?.Ints is not null))
        {
            var values = known.SelectMany(k => k!.Ints!).ToArray();
            c.SetKnown(0, KnownTensor.OfInts(type, [values.Length], values));
        }
        else if (first.Rank == 1 && known.All(k => k?.Floats is not null))
        {
            var values = known.SelectMany(k => k!.Floats!).ToArray();
            c.SetKnown(0, KnownTensor.OfFloats(type, [values.Length], values));
        }
    }

    private static void Split(NodeContext c)
    {
        var input = c.InputType(0);
        if (input.Shape is not { } shape)
        {
            for (var i = 0; i < c.OutputCount; i++)
            {
                c.SetOutput(i, input.ElementType, null);
            }
            return;
        }
        var axis = c.NormalizeAxis(c.Attributes.GetInt("axis", 0), shape.Rank);
        var split = c.AttributeOrInputLongs("split", 1, 13, out var known);
        var n = c.OutputCount;
        var size = shape[axis];
        Dim[] parts;
        if (split is not null)
        {
            if (split.Length != n || split.Any(s => s < 0))
            {
                throw c.Fail($"split [{string.Join(",", split)}] does not give {n} non-negative sizes");
            }
            if (size.IsKnown && split.Sum() != size.KnownValue)
            {
                throw c.Fail($"split sizes add up to {split.Sum()}, not {size}");
            }
            parts = [.. split.Select(Dim.Of)];
        }
        else if (!known || !size.IsKnown)
        {
            parts = [.. Enumerable.Repeat(Dim.Unknown, n)];
        }
        else
        {
            // Equal parts; from opset 18 the last part may be smaller (num_outputs with an uneven size).
            var total = size.KnownValue;
            var chunk = c.Opset >= 18 ? DimMath.CeilDiv(total, n) : total % n == 0 ? total / n : throw c.Fail($"size {total} does not split into {n} equal parts");
            parts = [.. Enumerable.Range(0, n).Select(i => Dim.Of(Math.Max(0, Math.Min(chunk, total - (i * chunk)))))];
        }
        for (var i = 0; i < n; i++)
        {
            c.SetOutput(i, input.ElementType, shape.With(axis, parts[i]));
        }
    }
}
