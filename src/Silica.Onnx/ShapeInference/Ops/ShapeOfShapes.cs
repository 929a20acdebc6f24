using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Operators that produce shapes or constants: Shape, Size, Constant, ConstantOfShape, Range, RandomNormal/Uniform.</summary>
internal static class ShapeOfShapes
{
    public static void Register(OpRegistry r)
    {
        r.Add("Shape", Shape);
        r.Add("Size", Size);
        r.Add("Constant", Constant);
        r.Add("ConstantOfShape", ConstantOfShape);
        r.Add("Range", Range);
        r.Add(["RandomNormal", "RandomUniform"], c => c.SetOutput(0, (TensorDataType)c.Attributes.GetInt("dtype", (long)TensorDataType.Float),
            TensorShape.Of(c.Attributes.GetInts("shape") ?? throw c.Fail("attribute 'shape' is missing"))));
    }

    /// <summary>The input's dimensions as a known vector, symbols included; start/end (opset 15) select a range.</summary>
    private static void Shape(NodeContext c)
    {
        var shape = c.InputShape(0);
        var rank = shape.Rank;
        long Clamp(long v) => Math.Clamp(v < 0 ? v + rank : v, 0, rank);
        var start = (int)Clamp(c.Attributes.GetInt("start", 0));
        var end = (int)Clamp(c.Attributes.GetInt("end", rank));
        var dims = shape.Skip(start).Take(Math.Max(0, end - start)).ToArray();
        c.SetOutput(0, TensorDataType.Int64, TensorShape.Of(dims.Length));
        c.SetKnown(0, KnownTensor.OfInts(TensorDataType.Int64, [dims.Length], [.. dims.Select(SymbolicInt.FromDim)]));
    }

    private static void Size(NodeContext c)
    {
        var count = c.InputShape(0).ElementCount;
        c.SetOutput(0, TensorDataType.Int64, TensorShape.Scalar);
        if (count is { } n)
        {
            c.SetKnown(0, KnownTensor.OfInts(TensorDataType.Int64, [], [SymbolicInt.Of(n)]));
        }
    }

    private static void Constant(NodeContext c)
    {
        var a = c.Attributes;
        if (a.GetTensor("value") is { } t)
        {
            c.SetOutput(0, (TensorDataType)t.DataType, TensorShape.Of([.. t.Dims]));
            if (KnownTensor.FromProto(t) is { } k)
            {
                c.SetKnown(0, k);
            }
        }
        else if (a.Find("value_int") is { } i)
        {
            c.SetKnown(0, KnownTensor.OfInts(TensorDataType.Int64, [], [SymbolicInt.Of(i.I)]));
        }
        else if (a.Find("value_ints") is { } ints)
        {
            c.SetKnown(0, KnownTensor.OfInts(TensorDataType.Int64, [ints.Ints.Count], [.. ints.Ints.Select(SymbolicInt.Of)]));
        }
        else if (a.Find("value_float") is { } f)
        {
            c.SetKnown(0, KnownTensor.OfFloats(TensorDataType.Float, [], [f.F]));
        }
        else if (a.Find("value_floats") is { } floats)
        {
            c.SetKnown(0, KnownTensor.OfFloats(TensorDataType.Float, [floats.Floats.Count], [.. floats.Floats.Select(x => (double)x)]));
        }
        else if (a.Find("value_string") is not null)
        {
            c.SetOutput(0, TensorDataType.String, TensorShape.Scalar);
        }
        else if (a.Find("value_strings") is { } strings)
        {
            c.SetOutput(0, TensorDataType.String, TensorShape.Of(strings.Strings.Count));
        }
        else if (a.Find("sparse_value") is { } sparse)
        {
            c.SetOutput(0, (TensorDataType)sparse.SparseTensor.Values.DataType, TensorShape.Of([.. sparse.SparseTensor.Dims]));
        }
        else
        {
            throw c.Fail("the node has no value attribute");
        }
    }

    /// <summary>The output's shape is the input's value (symbols allowed); its element type and fill come from 'value'.</summary>
    private static void ConstantOfShape(NodeContext c)
    {
        var fill = c.Attributes.GetTensor("value");
        var type = fill is null ? TensorDataType.Float : (TensorDataType)fill.DataType;
        if (c.Known(0)?.Ints is not { } dims)
        {
            var len = c.InputShape(0);
            c.SetOutput(0, type, len.Rank == 1 && len[0].IsKnown ? TensorShape.UnknownOfRank((int)len[0].KnownValue) : null);
            return;
        }
        if (dims.Any(d => d.IsKnown && d.Value < 0))
        {
            throw c.Fail("the shape has a negative dimension");
        }
        var shape = new TensorShape(dims.Select(d => d.ToDim()));
        c.SetOutput(0, type, shape);
        if (shape.ElementCount is { } n && n <= KnownTensor.MaxElements)
        {
            var value = fill is null ? 0 : KnownTensor.FromProto(fill)?.TryGetDoubles()?.FirstOrDefault() ?? double.NaN;
            if (!double.IsNaN(value) && KnownTensor.Create(type, shape.ToArray(), [.. Enumerable.Repeat(value, (int)n)]) is { } k)
            {
                c.SetKnown(0, k);
            }
        }
    }

    private static void Range(NodeContext c)
    {
        var type = c.InputElementType(0);
        var start = c.Known(0)?.TryGetDoubles();
        var limit = c.Known(1)?.TryGetDoubles();
        var delta = c.Known(2)?.TryGetDoubles();
        if (start is not [var s] || limit is not [var l] || delta is not [var d])
        {
            c.SetOutput(0, type, TensorShape.UnknownOfRank(1));
            return;
        }
        if (d == 0)
        {
            throw c.Fail("delta is 0");
        }
        var n = Math.Max((long)Math.Ceiling((l - s) / d), 0);
        c.SetOutput(0, type, TensorShape.Of(n));
        if (n <= KnownTensor.MaxElements && KnownTensor.Create(type, [n], [.. Enumerable.Range(0, (int)n).Select(i => s + (i * d))]) is { } k)
        {
            c.SetKnown(0, k);
        }
    }
}
