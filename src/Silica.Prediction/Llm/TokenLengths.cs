using System.Globalization;

namespace Silica.Prediction.Llm;

/// <summary>A distribution of token counts: uniform over [<see cref="Min"/>, <see cref="Max"/>] (fixed when they are equal).</summary>
/// <param name="Min">Smallest count.</param>
/// <param name="Max">Largest count.</param>
public sealed record TokenLengths(int Min, int Max)
{
    /// <summary>Always <paramref name="tokens"/>.</summary>
    public static TokenLengths Fixed(int tokens) => new(tokens, tokens);

    /// <summary>The mean count.</summary>
    public double Mean => (Min + Max) / 2.0;

    /// <summary>One draw.</summary>
    public int Draw(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Min == Max ? Min : random.Next(Min, Max + 1);
    }

    /// <summary>Parses <c>512</c> or <c>128-1024</c>.</summary>
    /// <exception cref="ArgumentException">Not a positive count or an ordered range of them; the message names <paramref name="flag"/>.</exception>
    public static TokenLengths Parse(string text, string flag)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length is 1 or 2
            && parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v >= 1 && v <= 10_000_000))
        {
            var min = int.Parse(parts[0], CultureInfo.InvariantCulture);
            var max = int.Parse(parts[^1], CultureInfo.InvariantCulture);
            if (min <= max)
            {
                return new TokenLengths(min, max);
            }
        }
        throw new ArgumentException($"{flag} expects a token count like 512 or a range like 128-1024; got '{text}'");
    }

    /// <inheritdoc />
    public override string ToString() => Min == Max
        ? Min.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Min}-{Max}");
}
