using System.Globalization;
using System.Text;
using Silica.Serving.Core;

namespace Silica.Serving.Repository;

/// <summary>
/// The one gate every model name and version string passes before it touches the file system or a lookup table
/// (RELIABILITY row 4). The pattern is a whitelist, so encodings (<c>%2e%2e</c>), separators, NUL, control
/// characters and look-alike Unicode all fail the same way, without decoding anything.
/// </summary>
internal static class ModelNames
{
    public const int MaxLength = 128;

    // Versions are positive integers without leading zeros; ten digits keep them inside a long with room to spare.
    public const int MaxVersionDigits = 10;

    public const string Rule = "1-128 characters of A-Z a-z 0-9 _ . -, starting with a letter or digit, without '..'";

    public static bool IsValid(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || !char.IsAsciiLetterOrDigit(name[0]))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-'))
            {
                return false;
            }
        }
        return !name.Contains("..", StringComparison.Ordinal);
    }

    /// <exception cref="InvalidRequestException">The name breaks <see cref="Rule"/>.</exception>
    public static string Validate(string? name) =>
        IsValid(name) ? name! : throw new InvalidRequestException($"invalid model name {Display(name)}: names are {Rule}");

    public static bool TryParseVersion(string? text, out long version)
    {
        version = 0;
        if (string.IsNullOrEmpty(text) || text.Length > MaxVersionDigits || text[0] == '0')
        {
            return false;
        }
        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }
        version = long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    /// <exception cref="InvalidRequestException">The text is not a positive integer.</exception>
    public static long ParseVersion(string? text) => TryParseVersion(text, out var v)
        ? v
        : throw new InvalidRequestException($"invalid model version {Display(text)}: versions are positive integers");

    /// <summary>Quotes untrusted text for a message: at most 64 characters, anything outside printable ASCII escaped.</summary>
    public static string Display(string? text)
    {
        if (text is null)
        {
            return "(none)";
        }
        var sb = new StringBuilder("'");
        foreach (var c in text.Length > 64 ? text[..64] : text)
        {
            if (c is >= ' ' and <= '~' and not '\\' and not '\'')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
        }
        if (text.Length > 64)
        {
            sb.Append("...");
        }
        return sb.Append('\'').ToString();
    }
}
