using Silica.Optimization.Passes;

namespace Silica.Cli.Commands.Optimize;

/// <summary>Resolves <c>--passes default|none|name,name</c> to graph passes.</summary>
internal static class OptimizePasses
{
    /// <summary>Null for the default pipeline, an empty list for none, else the named passes in the order given.</summary>
    public static IReadOnlyList<IGraphPass>? Resolve(string text)
    {
        var t = text.Trim();
        if (t.Equals("default", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        if (t.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }
        throw new UsageException($"--passes '{text}': named passes arrive with the graph-pass library; use default or none");
    }
}
