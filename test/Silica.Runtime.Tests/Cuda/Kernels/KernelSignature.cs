using System.Text.RegularExpressions;

namespace Silica.Runtime.Tests.Cuda.Kernels;

/// <summary>Reads the parameter list of an <c>extern "C" __global__</c> entry out of an emitted source.</summary>
internal static partial class KernelSignature
{
    /// <summary>(C type without const/restrict, is pointer) per parameter of <paramref name="entry"/>.</summary>
    public static IReadOnlyList<(string Type, bool Pointer)> Parameters(string source, string entry)
    {
        var match = Regex.Match(source, @"extern ""C"" __global__ void (?:__launch_bounds__\([^)]*\) )?" + Regex.Escape(entry) + @"\(([^)]*)\)");
        Assert.True(match.Success, $"entry {entry} not found in source");
        return match.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries).Select(Parse).ToArray();
    }

    private static (string, bool) Parse(string parameter)
    {
        var text = Spaces().Replace(parameter.Replace("const ", "", StringComparison.Ordinal).Replace("__restrict__", "", StringComparison.Ordinal), " ").Trim();
        var star = text.IndexOf('*', StringComparison.Ordinal);
        if (star >= 0)
        {
            return (text[..star].Trim(), true);
        }
        var lastSpace = text.LastIndexOf(' ');
        return (text[..lastSpace].Trim(), false);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
