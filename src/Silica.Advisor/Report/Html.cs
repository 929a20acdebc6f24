using System.Globalization;
using System.Text;

namespace Silica.Advisor.Report;

/// <summary>
/// Escaping and number formatting for the report. Every number goes through here so the page reads the same
/// whatever the machine's culture, and no non-finite value reaches the reader as "NaN" or "∞".
/// </summary>
internal static class Html
{
    /// <summary>What a missing or non-finite figure prints as.</summary>
    public const string Missing = "—";

    /// <summary>What an unpriced cost prints as.</summary>
    public const string Unpriced = "unpriced";

    /// <summary>The culture of every number in the report.</summary>
    public static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// Escapes text for HTML element content and quoted attribute values alike, and drops what XML forbids
    /// (control characters, lone surrogates) so the same text is safe inside inline SVG.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var sb = new StringBuilder(text.Length + 16);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                case '\t' or '\n' or '\r': sb.Append(c); break;
                case < ' ' or '\uFFFE' or '\uFFFF': break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        sb.Append(c).Append(text[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        sb.Append('\uFFFD');
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// A number to <paramref name="digits"/> significant figures (whole numbers from there up, with thousands
    /// separators): 0.0123, 1.23, 12.3, 123, 1,234.
    /// </summary>
    public static string Sig(double value, int digits = 3)
    {
        if (!double.IsFinite(value))
        {
            return Missing;
        }

        if (value == 0)
        {
            return "0";
        }

        var magnitude = (int)Math.Floor(Math.Log10(Math.Abs(value)));
        var decimals = digits - 1 - magnitude;
        if (decimals <= 0)
        {
            return Math.Round(value, MidpointRounding.AwayFromZero).ToString("#,##0", Invariant);
        }

        // Round first, so 99.96 prints as "100", not "100.0".
        var rounded = Math.Round(value, Math.Min(decimals, 15), MidpointRounding.AwayFromZero);
        var roundedMagnitude = rounded == 0 ? magnitude : (int)Math.Floor(Math.Log10(Math.Abs(rounded)));
        decimals = Math.Clamp(digits - 1 - roundedMagnitude, 0, 12);
        return rounded.ToString(decimals == 0 ? "#,##0" : "#,##0." + new string('0', decimals), Invariant);
    }

    /// <summary>Like <see cref="Sig"/> but without trailing zeros, for axis ticks: 0.1, 1, 2.5, 10.</summary>
    public static string Tick(double value)
    {
        if (!double.IsFinite(value))
        {
            return Missing;
        }

        return Math.Abs(value) >= 1000 ? Math.Round(value).ToString("#,##0", Invariant) : value.ToString("0.######", Invariant);
    }

    /// <summary>A count with an SI prefix to three significant figures: 950, 12.3 k, 4.10 M, 2.05 GFLOP.</summary>
    public static string Si(double value, string unit = "")
    {
        if (!double.IsFinite(value))
        {
            return Missing;
        }

        var (scale, prefix) = SiPrefix(value);
        var suffix = prefix + unit;
        var number = Sig(value / scale);
        return suffix.Length == 0 ? number : number + " " + suffix;
    }

    /// <summary>An axis tick with an SI prefix and no trailing zeros: 50, 500, 1k, 2k, 10k, 1M.</summary>
    public static string SiTick(double value)
    {
        if (!double.IsFinite(value))
        {
            return Missing;
        }

        var (scale, prefix) = SiPrefix(value);
        return Tick(Math.Round(value / scale, 6)) + prefix;
    }

    private static (double Scale, string Prefix) SiPrefix(double value) => Math.Abs(value) switch
    {
        >= 1e15 => (1e15, "P"),
        >= 1e12 => (1e12, "T"),
        >= 1e9 => (1e9, "G"),
        >= 1e6 => (1e6, "M"),
        >= 1e3 => (1e3, "k"),
        _ => (1.0, ""),
    };

    /// <summary>US dollars to three significant figures, or "unpriced" when null.</summary>
    public static string Usd(double? value) => value is { } v ? (double.IsFinite(v) ? "$" + Sig(v) : Missing) : Unpriced;

    /// <summary>US dollars with cents, for hourly prices, or "unpriced" when null.</summary>
    public static string UsdCents(double? value) =>
        value is { } v ? (double.IsFinite(v) ? "$" + v.ToString("#,##0.00", Invariant) : Missing) : Unpriced;

    /// <summary>Milliseconds to three significant figures with the unit.</summary>
    public static string Ms(double value) => double.IsFinite(value) ? Sig(value) + " ms" : Missing;

    /// <summary>A low–high band, "1.2–3.4", each end to three significant figures.</summary>
    public static string Band(double low, double high) => Sig(low) + "–" + Sig(high);

    /// <summary>A whole number with thousands separators.</summary>
    public static string Int(long value) => value.ToString("#,##0", Invariant);

    /// <summary>A time as ISO-like UTC text: 2025-06-01 14:03 UTC.</summary>
    public static string Utc(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", Invariant) + " UTC";
}
