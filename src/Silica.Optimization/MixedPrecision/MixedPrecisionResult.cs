using Silica.Onnx.Graph;
using Silica.Optimization.Accuracy;

namespace Silica.Optimization.MixedPrecision;

/// <summary>The outcome of a mixed-precision search.</summary>
/// <param name="FullScore">The score with every layer in the lower precision.</param>
/// <param name="FinalScore">The score of <see cref="Model"/>.</param>
/// <param name="MetBudget">True when <see cref="FinalScore"/>'s drop is within the budget.</param>
/// <param name="Budget">The allowed drop.</param>
/// <param name="Kept">The layers kept in higher precision, most sensitive first, with their measured sensitivity.</param>
/// <param name="Sensitivities">Every layer's measured sensitivity, most sensitive first (empty when the full model met the budget).</param>
/// <param name="Model">The chosen model (the full lowering when it met the budget).</param>
/// <param name="Evaluations">How many candidate models were built and evaluated.</param>
/// <param name="Method">How sensitivity was measured, for the report.</param>
public sealed record MixedPrecisionResult(
    MetricScore FullScore,
    MetricScore FinalScore,
    bool MetBudget,
    double Budget,
    IReadOnlyList<LayerSensitivity> Kept,
    IReadOnlyList<LayerSensitivity> Sensitivities,
    OnnxModel Model,
    int Evaluations,
    string Method)
{
    /// <summary>The names of every node kept in higher precision.</summary>
    public IReadOnlySet<string> KeptNodes => Kept.SelectMany(k => k.Nodes).ToHashSet(StringComparer.Ordinal);
}
