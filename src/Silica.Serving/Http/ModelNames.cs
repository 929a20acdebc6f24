using Silica.Serving.Core;

namespace Silica.Serving.Http;

/// <summary>
/// Checks model names and versions from the URL before anything looks them up. Names are what a repository folder
/// may be called: ASCII letters, digits, <c>_</c>, <c>-</c> and <c>.</c>, not starting with a dot, at most 128
/// characters, so <c>../</c>, encoded slashes, backslashes, absolute paths, NUL and look-alike Unicode never reach
/// the file system. Versions are decimal numbers.
/// </summary>
internal static class ModelNames
{
    public const int MaxLength = 128;

    /// <exception cref="InvalidRequestException">The name or version is not acceptable.</exception>
    public static void Validate(string model, string? version)
    {
        if (!IsValidName(model))
        {
            throw new InvalidRequestException($"invalid model name '{Codec.RequestDocument.Printable(model)}': use 1 to {MaxLength} ASCII letters, digits, '_', '-' or '.', not starting with '.'");
        }
        if (version is not null && !IsValidVersion(version))
        {
            throw new InvalidRequestException($"invalid model version '{Codec.RequestDocument.Printable(version)}': versions are positive decimal numbers");
        }
    }

    public static bool IsValidName(string name)
    {
        if (name.Length is 0 or > MaxLength || name[0] == '.')
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                return false;
            }
        }
        return true;
    }

    public static bool IsValidVersion(string version) =>
        version.Length is > 0 and <= 18 && version.All(char.IsAsciiDigit);
}
