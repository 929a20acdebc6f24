using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference;

/// <summary>
/// Evaluates elementwise operators on small known tensors, with numpy broadcasting. Symbols pass through
/// the identities shape code relies on (<c>s + 0</c>, <c>s * 1</c>, <c>s / 1</c>, <c>s == s</c>).
/// </summary>
internal static class ConstantFolder
{
    public delegate SymbolicInt IntOp(SymbolicInt a, SymbolicInt b);

    /// <summary>Applies an elementwise op to known inputs; null when some input is not known or types mix.</summary>
    public static KnownTensor? Elementwise(IReadOnlyList<KnownTensor?> inputs, TensorDataType outType,
        Func<SymbolicInt[], SymbolicInt>? intOp, Func<double[], double>? floatOp)
    {
        if (inputs.Any(i => i is null))
        {
            return null;
        }
        var ins = inputs.Select(i => i!).ToArray();
        var rank = ins.Max(i => i.Dims.Length);
        var dims = new long[rank];
        for (var d = 0; d < rank; d++)
        {
            dims[d] = 1;
            foreach (var t in ins)
            {
                var j = d - (rank - t.Dims.Length);
                if (j >= 0 && t.Dims[j] != 1)
                {
                    if (dims[d] != 1 && dims[d] != t.Dims[j])
                    {
                        return null;
                    }
                    dims[d] = t.Dims[j];
                }
            }
        }
        var count = dims.Aggregate(1L, (a, b) => a * b);
        if (count > KnownTensor.MaxElements)
        {
            return null;
        }
        var allInts = ins.All(i => i.Ints is not null);
        var doubles = allInts ? null : ins.Select(i => i.TryGetDoubles()).ToArray();
        if (allInts ? intOp is null : floatOp is null || doubles!.Any(d => d is null))
        {
            return null;
        }
        var ints = allInts ? new SymbolicInt[count] : null;
        var floats = allInts ? null : new double[count];
        var index = new long[rank];
        for (var n = 0; n < count; n++)
        {
            if (allInts)
            {
                ints![n] = intOp!([.. ins.Select(t => t.Ints![FlatIndex(t.Dims, index, rank)])]);
            }
            else
            {
                floats![n] = floatOp!([.. ins.Select((t, k) => doubles![k]![FlatIndex(t.Dims, index, rank)])]);
            }
            for (var d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < dims[d])
                {
                    break;
                }
                index[d] = 0;
            }
        }
        if (allInts)
        {
            return KnownTensor.IsIntegral(outType)
                ? KnownTensor.OfInts(outType, dims, ints!)
                : ints!.All(i => i.IsKnown) ? KnownTensor.OfFloats(outType, dims, [.. ints!.Select(i => (double)i.Value)]) : null;
        }
        return KnownTensor.IsIntegral(outType)
            ? KnownTensor.OfInts(outType, dims, [.. floats!.Select(f => double.IsFinite(f) ? SymbolicInt.Of((long)f) : SymbolicInt.Unknown)])
            : KnownTensor.OfFloats(outType, dims, floats!);
    }

    /// <summary>A binary op on integers: <paramref name="op"/> sees only known numbers; symbols are handled by <paramref name="symbolic"/>.</summary>
    public static Func<SymbolicInt[], SymbolicInt> Ints(Func<long, long, long> op, IntOp? symbolic = null) => xs =>
    {
        var acc = xs[0];
        for (var i = 1; i < xs.Length; i++)
        {
            acc = acc.IsKnown && xs[i].IsKnown ? SymbolicInt.Of(op(acc.Value, xs[i].Value)) : symbolic?.Invoke(acc, xs[i]) ?? SymbolicInt.Unknown;
        }
        return acc;
    };

    /// <summary>A binary op on doubles, left-folded over variadic inputs.</summary>
    public static Func<double[], double> Floats(Func<double, double, double> op) => xs =>
    {
        var acc = xs[0];
        for (var i = 1; i < xs.Length; i++)
        {
            acc = op(acc, xs[i]);
        }
        return acc;
    };

    public static SymbolicInt AddSymbolic(SymbolicInt a, SymbolicInt b) => IsNumber(b, 0) ? a : IsNumber(a, 0) ? b : SymbolicInt.Unknown;

    public static SymbolicInt SubSymbolic(SymbolicInt a, SymbolicInt b) =>
        IsNumber(b, 0) ? a : a.Symbol is not null && a.SameAs(b) ? SymbolicInt.Of(0) : SymbolicInt.Unknown;

    public static SymbolicInt MulSymbolic(SymbolicInt a, SymbolicInt b) =>
        IsNumber(b, 1) ? a : IsNumber(a, 1) ? b : IsNumber(a, 0) || IsNumber(b, 0) ? SymbolicInt.Of(0) : SymbolicInt.Unknown;

    public static SymbolicInt DivSymbolic(SymbolicInt a, SymbolicInt b) =>
        IsNumber(b, 1) ? a : a.Symbol is not null && a.SameAs(b) ? SymbolicInt.Of(1) : SymbolicInt.Unknown;

    /// <summary>Equality decides on the same symbol only; two different symbols may still be equal.</summary>
    public static SymbolicInt EqualSymbolic(SymbolicInt a, SymbolicInt b) => a.Symbol is not null && a.SameAs(b) ? SymbolicInt.Of(1) : SymbolicInt.Unknown;

    private static bool IsNumber(SymbolicInt x, long n) => x.IsKnown && x.Value == n;

    private static int FlatIndex(long[] dims, long[] outIndex, int outRank)
    {
        long flat = 0;
        var offset = outRank - dims.Length;
        for (var d = 0; d < dims.Length; d++)
        {
            flat = (flat * dims[d]) + (dims[d] == 1 ? 0 : outIndex[d + offset]);
        }
        return (int)flat;
    }
}
