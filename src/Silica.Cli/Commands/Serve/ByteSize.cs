using System.Globalization;

namespace Silica.Cli.Commands.Serve;

/// <summary>Parses sizes like <c>64MiB</c>, <c>512KiB</c>, <c>1GiB</c>, <c>10MB</c> or a bare byte count.</summary>
internal static class ByteSize
{
    private static readonly (string Suffix, long Scale)[] Units =
    [
        ("KiB", 1L << 10), ("MiB", 1L << 20), ("GiB", 1L << 30),
        ("KB", 1_000), ("MB", 1_000_000), ("GB", 1_000_000_000),
        ("K", 1L << 10), ("M", 1L << 20), ("G", 1L << 30), ("B", 1),
    ];

    public static long Parse(string text, string flag)
    {
        var t = text.Trim();
        var scale = 1L;
        foreach (var (suffix, s) in Units)
        {
            if (t.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                t = t[..^suffix.Length];
                scale = s;
                break;
            }
        }
        if (!double.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v) || v <= 0 || v * scale > long.MaxValue / 2)
        {
            throw new UsageException($"{flag} expects a size like 64MiB or 1048576; got '{text}'");
        }
        return (long)(v * scale);
    }
}
