namespace Silica.Optimization.Accuracy;

/// <summary>A metric's value for the original and the candidate model, as fractions (1.0 = 100%).</summary>
/// <param name="Metric">The metric's name.</param>
/// <param name="Reference">The original model's score (1.0 for agreement metrics).</param>
/// <param name="Candidate">The optimized model's score.</param>
public sealed record MetricScore(string Metric, double Reference, double Candidate)
{
    /// <summary>How much the candidate lost, in absolute fraction (0.005 = half a point).</summary>
    public double Drop => Reference - Candidate;
}
