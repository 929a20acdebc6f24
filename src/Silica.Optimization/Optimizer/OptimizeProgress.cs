namespace Silica.Optimization.Optimizer;

/// <summary>Where <see cref="ModelOptimizer"/> is: a stage and, for per-sample stages, how many samples are done.</summary>
/// <param name="Stage">What is running: "graph passes", "calibrating", "evaluating", "mixed precision", "measuring speed".</param>
/// <param name="Done">Units finished in this stage.</param>
/// <param name="Total">Units in this stage (1 for stages that are not counted).</param>
public sealed record OptimizeProgress(string Stage, int Done, int Total);
