using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Output sizes of sliding-window operators (convolution and pooling) along each spatial axis.</summary>
internal sealed class SlidingWindow
{
    private SlidingWindow(long[] kernel, long[] strides, long[] dilations, long[] pads, string autoPad, bool ceilMode)
    {
        Kernel = kernel;
        Strides = strides;
        Dilations = dilations;
        Pads = pads;
        AutoPad = autoPad;
        CeilMode = ceilMode;
    }

    public long[] Kernel { get; }

    public long[] Strides { get; }

    public long[] Dilations { get; }

    /// <summary>Begin pads for every axis, then end pads (the ONNX <c>pads</c> layout).</summary>
    public long[] Pads { get; }

    public string AutoPad { get; }

    public bool CeilMode { get; }

    /// <summary>Reads kernel_shape, strides, dilations, pads, auto_pad and ceil_mode, checking their lengths.</summary>
    public static SlidingWindow Read(NodeContext c, long[] kernel)
    {
        var n = kernel.Length;
        var strides = c.Attributes.GetInts("strides") ?? Ones(n);
        var dilations = c.Attributes.GetInts("dilations") ?? Ones(n);
        var pads = c.Attributes.GetInts("pads") ?? new long[2 * n];
        if (strides.Length != n || dilations.Length != n || pads.Length != 2 * n)
        {
            throw c.Fail($"strides, dilations and pads must match the {n} spatial axes of the kernel");
        }
        if (strides.Any(s => s <= 0) || dilations.Any(d => d <= 0) || kernel.Any(k => k <= 0))
        {
            throw c.Fail("kernel sizes, strides and dilations must be positive");
        }
        var autoPad = c.Attributes.GetString("auto_pad", "NOTSET");
        if (autoPad is not ("NOTSET" or "SAME_UPPER" or "SAME_LOWER" or "VALID"))
        {
            throw c.Fail($"unknown auto_pad '{autoPad}'");
        }
        return new SlidingWindow(kernel, strides, dilations, pads, autoPad, c.Attributes.GetInt("ceil_mode", 0) != 0);
    }

    public static long[] Ones(int n) => [.. Enumerable.Repeat(1L, n)];

    /// <summary>The output size along spatial axis <paramref name="axis"/> for an input of size <paramref name="input"/>.</summary>
    public Dim Output(int axis, Dim input)
    {
        if (!input.IsKnown)
        {
            return Dim.Unknown;
        }
        var size = input.KnownValue;
        var stride = Strides[axis];
        var effectiveKernel = ((Kernel[axis] - 1) * Dilations[axis]) + 1;
        switch (AutoPad)
        {
            case "SAME_UPPER" or "SAME_LOWER":
                return Dim.Of(DimMath.CeilDiv(size, stride));
            case "VALID":
                return Dim.Of(Math.Max(0, DimMath.CeilDiv(size - effectiveKernel + 1, stride)));
        }
        var padded = size + Pads[axis] + Pads[axis + Kernel.Length] - effectiveKernel;
        if (padded < 0)
        {
            return Dim.Of(0);
        }
        var output = (CeilMode ? DimMath.CeilDiv(padded, stride) : padded / stride) + 1;
        // With ceil_mode the last window must start inside the input or its begin padding (PyTorch and ORT rule).
        if (CeilMode && (output - 1) * stride >= size + Pads[axis])
        {
            output--;
        }
        return Dim.Of(output);
    }
}
