namespace Silica.Advisor.Llm;

/// <summary>A decode step timed here.</summary>
/// <param name="Batch">Sequences per step.</param>
/// <param name="PastTokens">Cached tokens per sequence.</param>
/// <param name="WallSeconds">The median wall time of a step.</param>
/// <param name="CpuSeconds">Process CPU time per step (single-threaded runs only): the step's own cost on a shared machine.</param>
/// <param name="Steps">Timed steps.</param>
public sealed record DecodeMeasurement(int Batch, int PastTokens, double WallSeconds, double? CpuSeconds, int Steps)
{
    /// <summary>What calibration fits: the CPU time where known, else the wall time.</summary>
    public double CostSeconds => CpuSeconds ?? WallSeconds;
}
