using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference.Ops;

/// <summary>Cast and CastLike: the shape is kept, the element type changes, known values are converted.</summary>
internal static class CastShapes
{
    public static void Register(OpRegistry r)
    {
        r.Add("Cast", c =>
        {
            if (!c.Attributes.Has("to"))
            {
                throw c.Fail("attribute 'to' is missing");
            }
            var to = (TensorDataType)c.Attributes.GetInt("to", 0);
            if (!TensorDataTypes.IsDefined((int)to))
            {
                throw c.Fail($"attribute 'to' names unknown data type {(int)to}");
            }
            Apply(c, to);
        });
        r.Add("CastLike", c => Apply(c, c.InputElementType(1)));
    }

    private static void Apply(NodeContext c, TensorDataType to)
    {
        c.SetOutput(0, to, c.InputType(0).Shape);
        if (c.Known(0) is not { } k)
        {
            return;
        }
        if (KnownTensor.IsIntegral(to))
        {
            var isBool = to == TensorDataType.Bool;
            if (k.Ints is not null)
            {
                c.SetKnown(0, KnownTensor.OfInts(to, k.Dims, [.. k.Ints.Select(i => isBool && i.IsKnown ? SymbolicInt.Of(i.Value != 0 ? 1 : 0) : i)]));
            }
            else
            {
                // Float to integer truncates toward zero, as C casts do.
                c.SetKnown(0, KnownTensor.OfInts(to, k.Dims, [.. k.Floats!.Select(f => !double.IsFinite(f) ? SymbolicInt.Unknown
                    : SymbolicInt.Of(isBool ? (f != 0 ? 1 : 0) : (long)Math.Truncate(f)))]));
            }
        }
        else if (to.IsFloatingPoint() && k.TryGetDoubles() is { } d)
        {
            c.SetKnown(0, KnownTensor.OfFloats(to, k.Dims, d));
        }
    }
}
