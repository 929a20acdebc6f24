using System.Globalization;

namespace Silica.Cli;

/// <summary>Parses <c>--bind batch=8,seq=128</c> into symbolic-dimension bindings.</summary>
internal static class Bindings
{
    public static Dictionary<string, long> Parse(string? text)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(text))
        {
            return result;
        }
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == part.Length - 1)
            {
                throw new UsageException($"--bind expects name=value pairs like batch=8,seq=128; got '{part}'");
            }
            var name = part[..eq].Trim();
            if (!long.TryParse(part[(eq + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value <= 0)
            {
                throw new UsageException($"--bind {name} must be a positive integer; got '{part[(eq + 1)..]}'");
            }
            if (!result.TryAdd(name, value))
            {
                throw new UsageException($"--bind names '{name}' twice");
            }
        }
        return result;
    }
}
