using Silica.Optimization.Data;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Accuracy;

/// <summary>
/// A score of a model's outputs on an evaluation set, higher is better. Agreement metrics (top-1 agreement,
/// cosine similarity) score the candidate against the original model's outputs, so the original scores 1;
/// task metrics with labels (OCR character accuracy) score both against the labels.
/// </summary>
public interface IAccuracyMetric
{
    /// <summary>Display name, e.g. "top-1 agreement", "character accuracy", "box IoU", "cosine similarity".</summary>
    string Name { get; }

    /// <summary>Scores the outputs of the original and the candidate model on the same samples.</summary>
    /// <param name="samples">The evaluation set (labels, when the metric needs them).</param>
    /// <param name="reference">The original model's outputs: per sample, one tensor per model output in output order.</param>
    /// <param name="candidate">The optimized model's outputs, same layout.</param>
    MetricScore Score(SampleSet samples, IReadOnlyList<IReadOnlyList<Tensor>> reference, IReadOnlyList<IReadOnlyList<Tensor>> candidate);
}
