using System.Collections;

namespace Silica.Onnx.Model;

/// <summary>An immutable tensor shape of known rank whose dimensions may be known, symbolic or unknown.</summary>
public sealed class TensorShape : IReadOnlyList<Dim>, IEquatable<TensorShape>
{
    private readonly Dim[] _dims;

    /// <summary>Creates a shape from its dimensions.</summary>
    public TensorShape(params IEnumerable<Dim> dims) => _dims = [.. dims];

    /// <summary>The shape of a scalar (rank 0).</summary>
    public static TensorShape Scalar { get; } = new();

    /// <summary>Creates a fully known shape.</summary>
    public static TensorShape Of(params ReadOnlySpan<long> dims)
    {
        var d = new Dim[dims.Length];
        for (var i = 0; i < dims.Length; i++)
        {
            d[i] = Dim.Of(dims[i]);
        }
        return new TensorShape(d);
    }

    /// <summary>A shape of the given rank whose dimensions are all unknown.</summary>
    public static TensorShape UnknownOfRank(int rank) => new(Enumerable.Repeat(Dim.Unknown, rank));

    /// <summary>Number of dimensions.</summary>
    public int Rank => _dims.Length;

    /// <inheritdoc/>
    public int Count => _dims.Length;

    /// <inheritdoc/>
    public Dim this[int index] => _dims[index];

    /// <summary>True when every dimension is a known number.</summary>
    public bool IsStatic => _dims.All(d => d.IsKnown);

    /// <summary>The product of the dimensions when all are known (checked), otherwise null.</summary>
    /// <exception cref="OverflowException">The product does not fit in 64 bits.</exception>
    public long? ElementCount
    {
        get
        {
            long n = 1;
            foreach (var d in _dims)
            {
                if (!d.IsKnown)
                {
                    return null;
                }
                n = checked(n * d.KnownValue);
            }
            return n;
        }
    }

    /// <summary>The known sizes.</summary>
    /// <exception cref="InvalidOperationException">Some dimension is not known.</exception>
    public long[] ToArray()
    {
        var a = new long[_dims.Length];
        for (var i = 0; i < a.Length; i++)
        {
            a[i] = _dims[i].KnownValue;
        }
        return a;
    }

    /// <summary>Replaces bound symbols by their numbers.</summary>
    public TensorShape Bind(IReadOnlyDictionary<string, long> bindings) =>
        _dims.Any(d => d.IsSymbolic) ? new TensorShape(_dims.Select(d => d.Bind(bindings))) : this;

    /// <summary>Returns a copy with one dimension replaced.</summary>
    public TensorShape With(int axis, Dim dim)
    {
        var d = (Dim[])_dims.Clone();
        d[axis] = dim;
        return new TensorShape(d);
    }

    /// <inheritdoc/>
    public IEnumerator<Dim> GetEnumerator() => ((IEnumerable<Dim>)_dims).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _dims.GetEnumerator();

    /// <inheritdoc/>
    public bool Equals(TensorShape? other) => other is not null && _dims.AsSpan().SequenceEqual(other._dims);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as TensorShape);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _dims)
        {
            h.Add(d);
        }
        return h.ToHashCode();
    }

    /// <summary>Shape as <c>[batch,3,224,224]</c>.</summary>
    public override string ToString() => "[" + string.Join(",", _dims) + "]";
}
