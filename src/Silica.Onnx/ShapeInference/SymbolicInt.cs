using System.Globalization;
using Silica.Onnx.Model;

namespace Silica.Onnx.ShapeInference;

/// <summary>
/// One element of a small integer tensor tracked during inference: a number (any sign, unlike
/// <see cref="Dim"/>), a named symbol carried over from a shape (<c>batch</c>), or unknown.
/// Shape-computing subgraphs (Shape → Gather → Concat → Reshape) move symbols through these.
/// </summary>
internal readonly record struct SymbolicInt
{
    private readonly long _value;

    private SymbolicInt(long value, string? symbol, bool known)
    {
        _value = value;
        Symbol = symbol;
        IsKnown = known;
    }

    public static SymbolicInt Unknown => default;

    public static SymbolicInt Of(long value) => new(value, null, true);

    public static SymbolicInt FromDim(Dim d) =>
        d.IsKnown ? Of(d.KnownValue) : d.IsSymbolic ? new SymbolicInt(0, d.Symbol, false) : Unknown;

    public string? Symbol { get; }

    public bool IsKnown { get; }

    public long Value => IsKnown ? _value : throw new InvalidOperationException("value is not known");

    /// <summary>The element as a dimension: negative numbers and unknowns become <see cref="Dim.Unknown"/>.</summary>
    public Dim ToDim() => IsKnown ? (_value >= 0 ? Dim.Of(_value) : Dim.Unknown) : Symbol is not null ? Dim.Named(Symbol) : Dim.Unknown;

    public bool SameAs(SymbolicInt other) => IsKnown ? other.IsKnown && _value == other._value : Symbol is not null && Symbol == other.Symbol;

    public override string ToString() => IsKnown ? _value.ToString(CultureInfo.InvariantCulture) : Symbol ?? "?";
}
