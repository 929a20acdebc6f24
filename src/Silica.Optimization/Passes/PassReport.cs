namespace Silica.Optimization.Passes;

/// <summary>What one pass changed.</summary>
/// <param name="Pass">The pass's <see cref="IGraphPass.Name"/>.</param>
/// <param name="Changes">How many rewrites it made (nodes removed, folded or fused).</param>
/// <param name="Details">One line per rewrite or group of rewrites, for the report.</param>
public sealed record PassReport(string Pass, int Changes, IReadOnlyList<string> Details);
