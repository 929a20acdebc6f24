using System.Globalization;

namespace Silica.Onnx.Model;

/// <summary>
/// One dimension of a tensor shape: a known size, a named symbol (<c>batch</c>, <c>seq</c>) that can be
/// bound to a number later, or unknown.
/// </summary>
public readonly struct Dim : IEquatable<Dim>
{
    private readonly long _value;

    private Dim(long value, string? symbol)
    {
        _value = value;
        Symbol = symbol;
    }

    /// <summary>A dimension whose size is not known and has no name.</summary>
    public static Dim Unknown => new(-1, null);

    /// <summary>A dimension of known size.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is negative.</exception>
    public static Dim Of(long value)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(value);
        return new Dim(value, null);
    }

    /// <summary>A named symbolic dimension.</summary>
    public static Dim Named(string symbol)
    {
        ArgumentException.ThrowIfNullOrEmpty(symbol);
        return new Dim(-1, symbol);
    }

    /// <summary>The symbol's name, or null for a known or unknown dimension.</summary>
    public string? Symbol { get; }

    /// <summary>True when the size is a known number.</summary>
    public bool IsKnown => Symbol is null && _value >= 0;

    /// <summary>True for a named symbolic dimension.</summary>
    public bool IsSymbolic => Symbol is not null;

    /// <summary>The size when known; otherwise null.</summary>
    public long? Value => IsKnown ? _value : null;

    /// <summary>The known size.</summary>
    /// <exception cref="InvalidOperationException">The dimension is symbolic or unknown.</exception>
    public long KnownValue => IsKnown ? _value : throw new InvalidOperationException($"dimension '{this}' is not known");

    /// <summary>Implicit conversion from a known size.</summary>
    public static implicit operator Dim(long value) => Of(value);

    /// <summary>Implicit conversion from a symbol name.</summary>
    public static implicit operator Dim(string symbol) => Named(symbol);

    /// <summary>Replaces a bound symbol by its number; other dimensions are returned unchanged.</summary>
    public Dim Bind(IReadOnlyDictionary<string, long> bindings) =>
        Symbol is not null && bindings.TryGetValue(Symbol, out var v) ? Of(v) : this;

    /// <inheritdoc/>
    public bool Equals(Dim other) => _value == other._value && Symbol == other.Symbol;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is Dim d && Equals(d);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_value, Symbol);

    /// <summary>Equality.</summary>
    public static bool operator ==(Dim left, Dim right) => left.Equals(right);

    /// <summary>Inequality.</summary>
    public static bool operator !=(Dim left, Dim right) => !left.Equals(right);

    /// <summary>The size, the symbol, or <c>?</c>.</summary>
    public override string ToString() => Symbol ?? (_value >= 0 ? _value.ToString(CultureInfo.InvariantCulture) : "?");
}
