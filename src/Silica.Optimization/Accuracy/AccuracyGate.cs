using Silica.Onnx.Graph;
using Silica.Optimization.Data;
using Silica.Optimization.Evaluation;

namespace Silica.Optimization.Accuracy;

/// <summary>Compares an optimized model with its original on an evaluation set.</summary>
public static class AccuracyGate
{
    /// <summary>Runs both models on <paramref name="evaluation"/> and scores the candidate with each metric.</summary>
    /// <param name="original">The reference model.</param>
    /// <param name="candidate">The optimized model (same inputs and outputs).</param>
    /// <param name="evaluation">The samples to compare on.</param>
    /// <param name="metrics">The metrics; <see cref="DefaultMetrics"/> picks them by the model's outputs.</param>
    /// <exception cref="ArgumentException">The models' outputs differ in number or the set is empty.</exception>
    public static AccuracyReport Evaluate(OnnxModel original, OnnxModel candidate, SampleSet evaluation, IReadOnlyList<IAccuracyMetric> metrics)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(metrics);
        var reference = ModelEvaluator.Run(original, evaluation);
        return Evaluate(original, reference, candidate, evaluation, metrics);
    }

    /// <summary>
    /// The metrics that fit the model: top-1 agreement when the first output is a <c>[batch, classes]</c>
    /// classifier score, else cosine similarity and max relative error of every output.
    /// </summary>
    public static IReadOnlyList<IAccuracyMetric> DefaultMetrics(OnnxModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var first = model.Graph.Outputs.FirstOrDefault();
        var shape = first?.Type?.Shape;
        if (model.Graph.Outputs.Count == 1 && shape is { Rank: 2 } && shape[1].Value is > 1)
        {
            return [new Top1AgreementMetric()];
        }
        return [new CosineSimilarityMetric(), new MaxRelativeErrorMetric()];
    }

    /// <summary>Scores a candidate against outputs of the original computed once (the mixed-precision search reuses them).</summary>
    internal static AccuracyReport Evaluate(OnnxModel original, IReadOnlyList<IReadOnlyList<Runtime.Tensors.Tensor>> reference,
        OnnxModel candidate, SampleSet evaluation, IReadOnlyList<IAccuracyMetric> metrics)
    {
        if (evaluation.Samples.Count == 0)
        {
            throw new ArgumentException("the evaluation set is empty", nameof(evaluation));
        }
        if (original.Graph.Outputs.Count != candidate.Graph.Outputs.Count)
        {
            throw new ArgumentException(
                $"the candidate has {candidate.Graph.Outputs.Count} outputs, the original {original.Graph.Outputs.Count}", nameof(candidate));
        }
        var outputs = ModelEvaluator.Run(candidate, evaluation);
        var scores = metrics.Select(m => m.Score(evaluation, reference, outputs)).ToArray();
        var comparisons = OutputComparer.Compare([.. original.Graph.Outputs.Select(o => o.Name)], reference, outputs);
        return new AccuracyReport(scores, comparisons, evaluation.Samples.Count, evaluation.Source, evaluation.IsSynthetic);
    }
}
