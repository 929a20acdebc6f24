using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Reshape (0 copies a dimension, -1 is computed, symbols cancel) and Flatten.</summary>
internal static class ReshapeShapes
{
    public static void Register(OpRegistry r)
    {
        r.Add("Reshape", Reshape);
        r.Add("Flatten", Flatten);
    }

    private static void Reshape(NodeContext c)
    {
        var input = c.InputType(0);
        var requested = c.Opset < 5 ? c.Attributes.GetInts("shape")?.Select(SymbolicInt.Of).ToArray() : c.Known(1)?.Ints;
        if (requested is null)
        {
            // The target is computed at run time: only its length, when static, gives the rank.
            var targetShape = c.Opset < 5 ? null : c.InputShape(1);
            c.SetOutput(0, input.ElementType, targetShape is { Rank: 1 } && targetShape[0].IsKnown
                ? TensorShape.UnknownOfRank((int)targetShape[0].KnownValue) : null);
            return;
        }
        var allowZero = c.Attributes.GetInt("allowzero", 0) != 0;
        var dims = new Dim[requested.Length];
        var inferIndex = -1;
        for (var i = 0; i < requested.Length; i++)
        {
            var r = requested[i];
            if (r.IsKnown && r.Value == -1)
            {
                inferIndex = inferIndex < 0 ? i : throw c.Fail("the target shape has more than one -1");
                continue;
            }
            if (r.IsKnown && r.Value == 0 && !allowZero)
            {
                var s = input.Shape;
                dims[i] = s is null ? Dim.Unknown : i < s.Rank ? s[i] : throw c.Fail($"target dimension {i} copies an input axis that does not exist");
                continue;
            }
            if (r.IsKnown && r.Value < -1)
            {
                throw c.Fail($"target dimension {r.Value} is invalid");
            }
            dims[i] = r.ToDim();
        }
        if (inferIndex >= 0)
        {
            dims[inferIndex] = input.Shape is { } inShape ? InferMissing(c, inShape, dims, inferIndex) : Dim.Unknown;
        }
        var shape = new TensorShape(dims);
        if (input.Shape?.ElementCount is { } inCount && shape.ElementCount is { } outCount && inCount != outCount)
        {
            throw c.Fail($"cannot reshape {input.Shape} ({inCount} elements) to {shape} ({outCount} elements)");
        }
        c.SetOutput(0, input.ElementType, shape);
        if (c.Known(0) is { } k && shape.IsStatic)
        {
            c.SetKnown(0, k.WithDims(shape.ToArray()));
        }
    }

    /// <summary>The -1 dimension: input elements over the other output dimensions, cancelling symbols that appear on both sides.</summary>
    private static Dim InferMissing(NodeContext c, TensorShape input, Dim[] dims, int inferIndex)
    {
        long inKnown = 1;
        long outKnown = 1;
        var symbols = new List<string>();
        foreach (var d in input)
        {
            if (d.IsKnown)
            {
                inKnown = checked(inKnown * d.KnownValue);
            }
            else if (d.IsSymbolic)
            {
                symbols.Add(d.Symbol!);
            }
            else
            {
                return Dim.Unknown;
            }
        }
        for (var i = 0; i < dims.Length; i++)
        {
            if (i == inferIndex)
            {
                continue;
            }
            var d = dims[i];
            if (d.IsKnown)
            {
                outKnown = checked(outKnown * d.KnownValue);
            }
            else if (!d.IsSymbolic || !symbols.Remove(d.Symbol!))
            {
                return Dim.Unknown;
            }
        }
        if (outKnown == 0 || inKnown % outKnown != 0)
        {
            throw c.Fail($"cannot infer -1: {inKnown} elements do not divide by {outKnown}");
        }
        var quotient = inKnown / outKnown;
        return symbols.Count switch
        {
            0 => Dim.Of(quotient),
            1 when quotient == 1 => Dim.Named(symbols[0]),
            _ => Dim.Unknown,
        };
    }

    private static void Flatten(NodeContext c)
    {
        var input = c.InputType(0);
        var shape = c.InputShape(0);
        var axis = c.Attributes.GetInt("axis", 1);
        var a = axis == shape.Rank ? shape.Rank : c.NormalizeAxis(axis, shape.Rank);
        var result = new TensorShape(DimMath.Product(shape.Take(a)), DimMath.Product(shape.Skip(a)));
        c.SetOutput(0, input.ElementType, result);
        if (c.Known(0) is { } k && result.IsStatic)
        {
            c.SetKnown(0, k.WithDims(result.ToArray()));
        }
    }
}
