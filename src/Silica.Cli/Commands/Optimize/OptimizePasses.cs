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
        var passes = new List<IGraphPass>();
        foreach (var name in t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            passes.Add(PassPipeline.Find(name)
                ?? throw new UsageException($"--passes has no pass '{name}'; known: {string.Join(", ", PassPipeline.All.Select(p => p.Name))} (or default, none)"));
        }
        return passes.Count > 0 ? passes : throw new UsageException("--passes needs default, none, or pass names");
    }
}
