using Silica.Optimization.Data;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Accuracy;

/// <summary>
/// Cosine similarity between the candidate's and the original's outputs (each output flattened per sample).
/// The score is the worst output's mean (or minimum) over samples, so one damaged output fails the gate.
/// </summary>
public sealed class CosineSimilarityMetric : IAccuracyMetric
{
    /// <summary>Creates the metric.</summary>
    /// <param name="worstSample">Score by the worst sample instead of the mean over samples.</param>
    public CosineSimilarityMetric(bool worstSample = false) => WorstSample = worstSample;

    /// <summary>True when the score is the worst sample's similarity rather than the mean.</summary>
    public bool WorstSample { get; }

    /// <inheritdoc/>
    public string Name => WorstSample ? "cosine similarity (min)" : "cosine similarity";

    /// <inheritdoc/>
    public MetricScore Score(SampleSet samples, IReadOnlyList<IReadOnlyList<Tensor>> reference, IReadOnlyList<IReadOnlyList<Tensor>> candidate)
    {
        var comparisons = OutputComparer.Compare(null, reference, candidate);
        var score = comparisons.Count == 0 ? 1 : comparisons.Min(c => WorstSample ? c.MinCosine : c.MeanCosine);
        return new MetricScore(Name, 1, score);
    }
}
