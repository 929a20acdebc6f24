using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Gather (evaluated on known data, e.g. picking a dimension out of a Shape), GatherElements, GatherND.</summary>
internal static class GatherShapes
{
    public static void Register(OpRegistry r)
    {
        r.Add("Gather", Gather);
        r.Add("GatherElements", c => c.SetOutput(0, c.InputElementType(0), c.InputType(1).Shape));
        r.Add("GatherND", GatherNd);
    }

    private static void Gather(NodeContext c)
    {
        var data = c.InputType(0);
        var indices = c.InputType(1);
        if (data.Shape is not { } shape || indices.Shape is not { } indexShape)
        {
            c.SetOutput(0, data.ElementType, null);
            return;
        }
        var axis = c.NormalizeAxis(c.Attributes.GetInt("axis", 0), shape.Rank);
        var result = new TensorShape(shape.Take(axis).Concat(indexShape).Concat(shape.Skip(axis + 1)));
        c.SetOutput(0, data.ElementType, result);
        // Evaluate on known data (the common case: a 1-D shape vector indexed by a scalar or a short list).
        if (c.Known(0) is not { } k || c.KnownLongs(1) is not { } idx || !result.IsStatic)
        {
            return;
        }
        var axisSize = k.Dims[axis];
        var inner = k.Dims.Skip(axis + 1).Aggregate(1L, (a, b) => a * b);
        var outer = k.Dims.Take(axis).Aggregate(1L, (a, b) => a * b);
        var picks = new List<int>();
        for (var o = 0L; o < outer; o++)
        {
            foreach (var raw in idx)
            {
                var i = raw < 0 ? raw + axisSize : raw;
                if (i < 0 || i >= axisSize)
                {
                    throw c.Fail($"index {raw} is out of range for axis size {axisSize}");
                }
                for (var n = 0L; n < inner; n++)
                {
                    picks.Add((int)((((o * axisSize) + i) * inner) + n));
                }
            }
        }
        var dims = result.ToArray();
        c.SetKnown(0, k.Ints is not null
            ? KnownTensor.OfInts(k.Type, dims, [.. picks.Select(p => k.Ints[p])])
            : KnownTensor.OfFloats(k.Type, dims, [.. picks.Select(p => k.Floats![p])]));
    }

    private static void GatherNd(NodeContext c)
    {
        var data = c.InputShape(0);
        var indices = c.InputShape(1);
        var batchDims = (int)c.Attributes.GetInt("batch_dims", 0);
        var type = c.InputElementType(0);
        if (indices.Rank < 1 || !indices[^1].IsKnown)
        {
            c.SetOutput(0, type, null);
            return;
        }
        var last = (int)indices[^1].KnownValue;
        if (batchDims + last > data.Rank)
        {
            throw c.Fail($"indices address {last} axes after {batchDims} batch axes of a rank-{data.Rank} input");
        }
        c.SetOutput(0, type, new TensorShape(indices.Take(indices.Rank - 1).Concat(data.Skip(batchDims + last))));
    }
}
