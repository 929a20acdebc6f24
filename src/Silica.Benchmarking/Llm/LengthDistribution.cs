using System.Globalization;

namespace Silica.Benchmarking.Llm;

/// <summary>
/// How many tokens a benchmark request's prompt or output has: <c>fixed:N</c>, <c>uniform:A-B</c> (inclusive), or
/// <c>file:PATH</c>, a text file of one length per line (blank lines and <c>#</c> comments skipped) sampled with
/// replacement — for replaying the lengths of a real trace.
/// </summary>
public sealed class LengthDistribution
{
    private readonly int[] _values;
    private readonly int _low;
    private readonly int _high;

    private LengthDistribution(string spec, int low, int high, int[] values)
    {
        Spec = spec;
        _low = low;
        _high = high;
        _values = values;
    }

    /// <summary>The text it was parsed from.</summary>
    public string Spec { get; }

    /// <summary>The largest length it can draw.</summary>
    public int Max => _values.Length > 0 ? _values.Max() : _high;

    /// <summary>The mean length it draws.</summary>
    public double Mean => _values.Length > 0 ? _values.Average() : (_low + _high) / 2.0;

    /// <summary>A distribution that always draws <paramref name="n"/>.</summary>
    public static LengthDistribution Fixed(int n) => Parse(string.Create(CultureInfo.InvariantCulture, $"fixed:{n}"), "length");

    /// <summary>Parses a specification.</summary>
    /// <param name="spec"><c>fixed:N</c>, <c>uniform:A-B</c> or <c>file:PATH</c>; a bare number means <c>fixed</c>.</param>
    /// <param name="what">The option name, for the error message.</param>
    /// <exception cref="ArgumentException">The specification is malformed, a length is below 1, or the file is unreadable or empty.</exception>
    public static LengthDistribution Parse(string spec, string what)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = spec.Trim();
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bare))
        {
            text = "fixed:" + text;
        }
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var kind = colon < 0 ? text : text[..colon];
        var arg = colon < 0 ? "" : text[(colon + 1)..];
        switch (kind.ToLowerInvariant())
        {
            case "fixed":
                var n = Length(arg, what, spec);
                return new LengthDistribution(spec, n, n, []);
            case "uniform":
                var dash = arg.IndexOf('-', StringComparison.Ordinal);
                if (dash < 0)
                {
                    throw new ArgumentException($"{what}: uniform needs a range A-B (e.g. uniform:32-256); got '{spec}'");
                }
                var (a, b) = (Length(arg[..dash], what, spec), Length(arg[(dash + 1)..], what, spec));
                return a <= b ? new LengthDistribution(spec, a, b, []) : throw new ArgumentException($"{what}: the range {a}-{b} is empty (A must not exceed B)");
            case "file":
                return FromFile(spec, arg, what);
            default:
                throw new ArgumentException($"{what} must be fixed:N, uniform:A-B or file:PATH; got '{spec}'");
        }
    }

    /// <summary>Draws one length.</summary>
    public int Sample(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return _values.Length > 0 ? _values[random.Next(_values.Length)] : random.Next(_low, _high + 1);
    }

    /// <inheritdoc/>
    public override string ToString() => Spec;

    private static LengthDistribution FromFile(string spec, string path, string what)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ArgumentException($"{what}: cannot read '{path}': {e.Message}", e);
        }
        var values = new List<int>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (!int.TryParse(line, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < 1)
            {
                throw new ArgumentException($"{what}: line {i + 1} of '{path}' is not a length of at least 1: '{line}'");
            }
            values.Add(v);
        }
        return values.Count > 0 ? new LengthDistribution(spec, 0, 0, [.. values]) : throw new ArgumentException($"{what}: '{path}' holds no lengths");
    }

    private static int Length(string text, string what, string spec) =>
        int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1
            ? n
            : throw new ArgumentException($"{what}: '{text}' in '{spec}' is not a length of at least 1");
}
