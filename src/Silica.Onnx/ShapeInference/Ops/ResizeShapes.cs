using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>
/// Resize and Upsample: each output size is <c>floor(input × scale)</c>, or given directly by 'sizes'.
/// Scales are an attribute in Upsample-7, input 1 in Upsample-9 and Resize-10, input 2 (sizes input 3) from Resize-11.
/// </summary>
internal static class ResizeShapes
{
    public static void Register(OpRegistry r)
    {
        r.Add("Resize", Resize);
        r.Add("Upsample", c =>
        {
            var scales = c.Opset < 9 ? c.Attributes.GetFloats("scales")?.Select(f => (double)f).ToArray() : c.Known(1)?.TryGetDoubles();
            ApplyScales(c, c.InputShape(0), scales, null);
        });
    }

    private static void Resize(NodeContext c)
    {
        var x = c.InputShape(0);
        if (c.Opset < 11)
        {
            ApplyScales(c, x, c.Known(1)?.TryGetDoubles(), null);
            return;
        }
        var axes = c.Opset >= 18 ? c.Attributes.GetInts("axes") : null;
        var sizesShape = c.OptionalInputShape(3);
        var emptySizes = sizesShape is { Rank: 1 } s && s[0].IsKnown && s[0].KnownValue == 0;
        var hasSizes = c.HasInput(3) && !emptySizes;
        if (!hasSizes)
        {
            ApplyScales(c, x, c.Known(2)?.TryGetDoubles(), axes);
            return;
        }
        var sizes = c.KnownLongs(3);
        var type = c.InputElementType(0);
        if (sizes is null)
        {
            c.SetOutput(0, type, TensorShape.UnknownOfRank(x.Rank));
            return;
        }
        var axisList = Axes(c, x.Rank, axes, sizes.Length);
        var dims = x.ToArray<Dim>();
        var policy = c.Attributes.GetString("keep_aspect_ratio_policy", "stretch");
        if (policy == "stretch")
        {
            for (var i = 0; i < axisList.Length; i++)
            {
                dims[axisList[i]] = Dim.Of(sizes[i]);
            }
        }
        else
        {
            // not_larger / not_smaller: one common scale for the listed axes, then round each size.
            var ratios = axisList.Select((a, i) => x[a].IsKnown ? (double)sizes[i] / x[a].KnownValue : double.NaN).ToArray();
            var scale = policy == "not_larger" ? ratios.Min() : ratios.Max();
            foreach (var a in axisList)
            {
                dims[a] = double.IsNaN(scale) ? Dim.Unknown : DimMath.Map(x[a], n => (long)Math.Round(scale * n, MidpointRounding.ToEven));
            }
        }
        c.SetOutput(0, type, new TensorShape(dims));
    }

    private static void ApplyScales(NodeContext c, TensorShape x, double[]? scales, long[]? axes)
    {
        var type = c.InputElementType(0);
        if (scales is null)
        {
            c.SetOutput(0, type, TensorShape.UnknownOfRank(x.Rank));
            return;
        }
        var axisList = Axes(c, x.Rank, axes, scales.Length);
        var dims = x.ToArray<Dim>();
        for (var i = 0; i < axisList.Length; i++)
        {
            var scale = scales[i];
            if (scale <= 0)
            {
                throw c.Fail($"scale {scale} is not positive");
            }
            // Runtimes multiply in float32, so do the same to floor identically. A scale of exactly 1 keeps a symbolic dimension (batch and channels usually).
            dims[axisList[i]] = scale == 1 ? x[axisList[i]] : DimMath.Map(x[axisList[i]], n => (long)Math.Floor((float)((float)n * (float)scale)));
        }
        c.SetOutput(0, type, new TensorShape(dims));
    }

    private static int[] Axes(NodeContext c, int rank, long[]? axes, int count)
    {
        var list = axes is null ? [.. Enumerable.Range(0, rank)] : axes.Select(a => c.NormalizeAxis(a, rank)).ToArray();
        return list.Length == count ? list : throw c.Fail($"{count} scales or sizes for {list.Length} axes");
    }
}
