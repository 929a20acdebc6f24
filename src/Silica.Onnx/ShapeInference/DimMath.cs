using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference;

/// <summary>Arithmetic on dimensions that keeps symbols where the result is still that symbol.</summary>
internal static class DimMath
{
    /// <summary>Numpy multidirectional broadcasting of several shapes.</summary>
    public static TensorShape Broadcast(NodeContext context, params IReadOnlyList<TensorShape> shapes)
    {
        var rank = shapes.Max(s => s.Rank);
        var dims = new Dim[rank];
        for (var i = 0; i < rank; i++)
        {
            Dim? result = null;
            foreach (var s in shapes)
            {
                var j = i - (rank - s.Rank);
                if (j < 0)
                {
                    continue;
                }
                result = result is { } r ? BroadcastDim(context, r, s[j]) : s[j];
            }
            dims[i] = result ?? Dim.Of(1);
        }
        return new TensorShape(dims);
    }

    /// <summary>Broadcasts two dimensions: 1 yields to anything, numbers win over symbols, equal symbols stay.</summary>
    public static Dim BroadcastDim(NodeContext context, Dim a, Dim b)
    {
        if (a.IsKnown && b.IsKnown)
        {
            var (x, y) = (a.KnownValue, b.KnownValue);
            if (x != y && x != 1 && y != 1)
            {
                throw context.Fail($"dimensions {x} and {y} cannot be broadcast");
            }
            return x == 1 ? b : a;
        }
        if (a.IsKnown)
        {
            return a.KnownValue == 1 ? b : a;
        }
        if (b.IsKnown)
        {
            return b.KnownValue == 1 ? a : b;
        }
        return a == b ? a : Dim.Unknown;
    }

    /// <summary>Product of dimensions: a number when all known, a symbol when one symbol times ones, else unknown.</summary>
    public static Dim Product(IEnumerable<Dim> dims)
    {
        long n = 1;
        Dim? symbol = null;
        foreach (var d in dims)
        {
            if (d.IsKnown)
            {
                n = checked(n * d.KnownValue);
            }
            else if (d.IsSymbolic && symbol is null)
            {
                symbol = d;
            }
            else
            {
                return Dim.Unknown;
            }
        }
        return symbol is { } s ? (n == 1 ? s : Dim.Unknown) : Dim.Of(n);
    }

    /// <summary>Sum of dimensions: a number when all known, a symbol plus zeros stays the symbol, else unknown.</summary>
    public static Dim Sum(IEnumerable<Dim> dims)
    {
        long n = 0;
        Dim? symbol = null;
        foreach (var d in dims)
        {
            if (d.IsKnown)
            {
                n = checked(n + d.KnownValue);
            }
            else if (d.IsSymbolic && symbol is null)
            {
                symbol = d;
            }
            else
            {
                return Dim.Unknown;
            }
        }
        return symbol is { } s ? (n == 0 ? s : Dim.Unknown) : Dim.Of(n);
    }

    /// <summary>Two descriptions of the same dimension merged: the more specific one wins.</summary>
    public static Dim Merge(Dim a, Dim b) => a.IsKnown ? a : b.IsKnown ? b : a.IsSymbolic ? a : b;

    /// <summary>A dimension scaled by a known factor (1 keeps a symbol).</summary>
    public static Dim Multiply(Dim d, long factor) =>
        factor == 1 ? d : d.IsKnown ? Dim.Of(checked(d.KnownValue * factor)) : factor == 0 ? Dim.Of(0) : Dim.Unknown;

    /// <summary>A known dimension transformed by <paramref name="f"/>; unknown otherwise.</summary>
    public static Dim Map(Dim d, Func<long, long> f) => d.IsKnown ? Dim.Of(Math.Max(0, f(d.KnownValue))) : Dim.Unknown;

    public static long CeilDiv(long a, long b) => (long)Math.Ceiling((double)a / b);

    public static long FloorDiv(long a, long b) => (long)Math.Floor((double)a / b);
}
