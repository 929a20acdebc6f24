using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Selection operators: TopK, OneHot, NonZero and Compress (data-dependent lengths), GridSample, RoiAlign.</summary>
internal static class IndexingShapes
{
    public static void Register(OpRegistry r)
    {
        r.Add("TopK", TopK);
        r.Add("OneHot", OneHot);
        r.Add("NonZero", c => c.SetOutput(0, TensorDataType.Int64, new TensorShape(Dim.Of(c.InputShape(0).Rank), Dim.Unknown)));
        r.Add("Compress", Compress);
        r.Add("GridSample", GridSample);
        r.Add("RoiAlign", RoiAlign);
        // Selected boxes: [count, 3] triples (batch, class, box); the count depends on the scores.
        r.Add("NonMaxSuppression", c => c.SetOutput(0, TensorDataType.Int64, new TensorShape(Dim.Unknown, Dim.Of(3))));
        r.Add("Unique", Unique);
    }

    private static void TopK(NodeContext c)
    {
        var x = c.InputShape(0);
        var axis = c.NormalizeAxis(c.Attributes.GetInt("axis", -1), x.Rank);
        var k = c.Opset < 10 ? c.Attributes.GetInt("k", -1) : c.KnownLongs(1) is [var v] ? v : -1;
        var dim = k >= 0 ? Dim.Of(k) : Dim.Unknown;
        if (k >= 0 && x[axis].IsKnown && k > x[axis].KnownValue)
        {
            throw c.Fail($"k={k} exceeds the axis size {x[axis]}");
        }
        c.SetOutput(0, c.InputElementType(0), x.With(axis, dim));
        c.SetOutput(1, TensorDataType.Int64, x.With(axis, dim));
    }

    private static void OneHot(NodeContext c)
    {
        var indices = c.InputShape(0);
        var depth = c.Known(1)?.TryGetDoubles() is [var d] ? Dim.Of((long)d) : Dim.Unknown;
        var axis = c.NormalizeAxis(c.Attributes.GetInt("axis", -1), indices.Rank + 1);
        var dims = indices.ToList();
        dims.Insert(axis, depth);
        c.SetOutput(0, c.InputElementType(2), new TensorShape(dims));
    }

    private static void Compress(NodeContext c)
    {
        var x = c.InputShape(0);
        var type = c.InputElementType(0);
        if (!c.Attributes.Has("axis"))
        {
            c.SetOutput(0, type, new TensorShape(Dim.Unknown));
            return;
        }
        var axis = c.NormalizeAxis(c.Attributes.GetInt("axis", 0), x.Rank);
        // The kept length is the number of true conditions, known only when the condition is.
        var condition = c.KnownLongs(1);
        var kept = condition is null ? Dim.Unknown : Dim.Of(condition.Take(x[axis].Value is { } n ? (int)n : condition.Length).Count(v => v != 0));
        c.SetOutput(0, type, x.With(axis, kept));
    }

    private static void Unique(NodeContext c)
    {
        var x = c.InputShape(0);
        var type = c.InputElementType(0);
        var flat = !c.Attributes.Has("axis");
        var axis = flat ? 0 : c.NormalizeAxis(c.Attributes.GetInt("axis", 0), x.Rank);
        // Only the number of distinct values (or slices) is data-dependent; inverse indices map every input one.
        c.SetOutput(0, type, flat ? new TensorShape(Dim.Unknown) : x.With(axis, Dim.Unknown));
        c.SetOutput(1, TensorDataType.Int64, new TensorShape(Dim.Unknown));
        c.SetOutput(2, TensorDataType.Int64, new TensorShape(flat ? DimMath.Product(x) : x[axis]));
        c.SetOutput(3, TensorDataType.Int64, new TensorShape(Dim.Unknown));
    }

    private static void GridSample(NodeContext c)
    {
        var x = c.InputShape(0);
        var grid = c.InputShape(1);
        if (grid.Rank != x.Rank)
        {
            throw c.Fail($"grid rank {grid.Rank} does not match input rank {x.Rank}");
        }
        // [N, C, D1..Dn] sampled at grid [N, D1_out..Dn_out, n] gives [N, C, D1_out..Dn_out].
        c.SetOutput(0, c.InputElementType(0), new TensorShape(new[] { DimMath.Merge(x[0], grid[0]), x[1] }.Concat(grid.Skip(1).Take(grid.Rank - 2))));
    }

    private static void RoiAlign(NodeContext c)
    {
        var x = c.InputShape(0);
        var rois = c.InputShape(1);
        var h = c.Attributes.GetInt("output_height", 1);
        var w = c.Attributes.GetInt("output_width", 1);
        c.SetOutput(0, c.InputElementType(0), new TensorShape(rois[0], x[1], Dim.Of(h), Dim.Of(w)));
    }
}
