using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Conv, ConvInteger, QLinearConv and ConvTranspose: <c>[N, C, D1..Dn]</c> with weights <c>[M, C/group, k1..kn]</c>.</summary>
internal static class ConvShapes
{
    public static void Register(OpRegistry r)
    {
        r.Add("Conv", c => Conv(c, 0, 1, c.InputElementType(0)));
        r.Add("ConvInteger", c => Conv(c, 0, 1, TensorDataType.Int32));
        r.Add("QLinearConv", c => Conv(c, 0, 3, c.InputElementType(7)));
        r.Add("ConvTranspose", ConvTranspose);
    }

    private static void Conv(NodeContext c, int xIndex, int wIndex, TensorDataType outType)
    {
        var x = c.InputShape(xIndex);
        var w = c.InputShape(wIndex);
        var spatial = x.Rank - 2;
        if (spatial < 1 || w.Rank != x.Rank)
        {
            throw c.Fail($"input rank {x.Rank} and weight rank {w.Rank} do not form a convolution");
        }
        var kernel = Kernel(c, w, spatial);
        var window = SlidingWindow.Read(c, kernel);
        var group = c.Attributes.GetInt("group", 1);
        if (x[1].IsKnown && w[1].IsKnown && x[1].KnownValue != w[1].KnownValue * group)
        {
            throw c.Fail($"input has {x[1]} channels but weights expect {w[1]} x group {group}");
        }
        var dims = new Dim[x.Rank];
        dims[0] = x[0];
        dims[1] = w[0];
        for (var i = 0; i < spatial; i++)
        {
            dims[i + 2] = window.Output(i, x[i + 2]);
        }
        c.SetOutput(0, outType, new TensorShape(dims));
    }

    private static void ConvTranspose(NodeContext c)
    {
        var x = c.InputShape(0);
        var w = c.InputShape(1);
        var spatial = x.Rank - 2;
        if (spatial < 1 || w.Rank != x.Rank)
        {
            throw c.Fail($"input rank {x.Rank} and weight rank {w.Rank} do not form a convolution");
        }
        var kernel = Kernel(c, w, spatial);
        var window = SlidingWindow.Read(c, kernel);
        var group = c.Attributes.GetInt("group", 1);
        var outputPadding = c.Attributes.GetInts("output_padding") ?? new long[spatial];
        var outputShape = c.Attributes.GetInts("output_shape");
        if (outputPadding.Length != spatial || outputShape is not null && outputShape.Length != spatial && outputShape.Length != x.Rank)
        {
            throw c.Fail("output_padding and output_shape must match the spatial axes");
        }
        var dims = new Dim[x.Rank];
        dims[0] = x[0];
        dims[1] = DimMath.Multiply(w[1], group);
        for (var i = 0; i < spatial; i++)
        {
            if (outputShape is not null)
            {
                dims[i + 2] = Dim.Of(outputShape[outputShape.Length - spatial + i]);
                continue;
            }
            var s = window.Strides[i];
            var effectiveKernel = ((kernel[i] - 1) * window.Dilations[i]) + 1;
            dims[i + 2] = window.AutoPad is "SAME_UPPER" or "SAME_LOWER"
                ? DimMath.Multiply(x[i + 2], s)
                : DimMath.Map(x[i + 2], n => (s * (n - 1)) + outputPadding[i] + effectiveKernel
                    - (window.AutoPad == "VALID" ? 0 : window.Pads[i] + window.Pads[i + spatial]));
        }
        c.SetOutput(0, c.InputElementType(0), new TensorShape(dims));
    }

    private static long[] Kernel(NodeContext c, TensorShape w, int spatial)
    {
        if (c.Attributes.GetInts("kernel_shape") is { } k)
        {
            return k.Length == spatial ? k : throw c.Fail($"kernel_shape has {k.Length} entries for {spatial} spatial axes");
        }
        var kernel = new long[spatial];
        for (var i = 0; i < spatial; i++)
        {
            kernel[i] = w[i + 2].Value ?? throw c.Fail("the kernel size is neither given nor known from the weights");
        }
        return kernel;
    }
}
