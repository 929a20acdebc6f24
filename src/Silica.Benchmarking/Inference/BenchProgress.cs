namespace Silica.Benchmarking.Inference;

/// <summary>Progress of a bench run, for a progress bar.</summary>
/// <param name="PointIndex">Index of the point being measured.</param>
/// <param name="PointCount">Points in the sweep.</param>
/// <param name="Description">What is being measured, e.g. "batch 4, 2 threads".</param>
/// <param name="Finished">True when the point has finished.</param>
public sealed record BenchProgress(int PointIndex, int PointCount, string Description, bool Finished);
