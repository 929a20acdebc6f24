namespace Silica.Optimization.Accuracy;

/// <summary>The accuracy gate's verdict material: each metric's score and a per-output comparison.</summary>
/// <param name="Scores">One score per metric, in the order the metrics were given.</param>
/// <param name="Outputs">Cosine similarity and relative error per model output (always computed, for the report).</param>
/// <param name="SampleCount">How many samples were evaluated.</param>
/// <param name="Source">Where the evaluation data came from.</param>
/// <param name="IsSynthetic">True when the evaluation data was generated (weaker evidence).</param>
public sealed record AccuracyReport(
    IReadOnlyList<MetricScore> Scores, IReadOnlyList<OutputComparison> Outputs, int SampleCount, string Source, bool IsSynthetic)
{
    /// <summary>The largest drop over all metrics.</summary>
    public double WorstDrop => Scores.Count == 0 ? 0 : Scores.Max(s => s.Drop);

    /// <summary>True when every metric dropped by at most <paramref name="budget"/> (absolute fraction: 0.005 = half a point).</summary>
    public bool Meets(double budget) => Scores.All(s => s.Drop <= budget);
}
