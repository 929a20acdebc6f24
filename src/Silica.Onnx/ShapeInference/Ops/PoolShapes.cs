using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Pooling: windowed (MaxPool, AveragePool, LpPool), global, and MaxUnpool.</summary>
internal static class PoolShapes
{
    public static void Register(OpRegistry r)
    {
        r.Add(["MaxPool", "AveragePool", "LpPool"], Windowed);
        r.Add(["GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool"], Global);
        r.Add("MaxUnpool", MaxUnpool);
    }

    private static void Windowed(NodeContext c)
    {
        var x = c.InputShape(0);
        var kernel = c.Attributes.GetInts("kernel_shape") ?? throw c.Fail("attribute 'kernel_shape' is missing");
        if (kernel.Length != x.Rank - 2)
        {
            throw c.Fail($"kernel_shape has {kernel.Length} entries for an input of rank {x.Rank}");
        }
        var window = SlidingWindow.Read(c, kernel);
        var dims = new Dim[x.Rank];
        dims[0] = x[0];
        dims[1] = x[1];
        for (var i = 0; i < kernel.Length; i++)
        {
            dims[i + 2] = window.Output(i, x[i + 2]);
        }
        var shape = new TensorShape(dims);
        c.SetOutput(0, c.InputElementType(0), shape);
        c.SetOutput(1, TensorDataType.Int64, shape);
    }

    private static void Global(NodeContext c)
    {
        var x = c.InputShape(0);
        if (x.Rank < 2)
        {
            throw c.Fail($"input rank {x.Rank} has no channel axis");
        }
        c.SetOutput(0, c.InputElementType(0), new TensorShape(x.Take(2).Concat(Enumerable.Repeat(Dim.Of(1), x.Rank - 2))));
    }

    private static void MaxUnpool(NodeContext c)
    {
        var x = c.InputShape(0);
        var type = c.InputElementType(0);
        if (c.HasInput(2))
        {
            var known = c.KnownLongs(2);
            c.SetOutput(0, type, known is null ? TensorShape.UnknownOfRank(x.Rank) : TensorShape.Of(known));
            return;
        }
        var kernel = c.Attributes.GetInts("kernel_shape") ?? throw c.Fail("attribute 'kernel_shape' is missing");
        var window = SlidingWindow.Read(c, kernel);
        var dims = new Dim[x.Rank];
        dims[0] = x[0];
        dims[1] = x[1];
        for (var i = 0; i < kernel.Length; i++)
        {
            var k = i;
            dims[i + 2] = DimMath.Map(x[i + 2], n => ((n - 1) * window.Strides[k]) + kernel[k] - window.Pads[k] - window.Pads[k + kernel.Length]);
        }
        c.SetOutput(0, type, new TensorShape(dims));
    }
}
