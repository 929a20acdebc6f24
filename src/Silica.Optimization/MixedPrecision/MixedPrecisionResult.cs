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
/// <param name="Method">How sensitivity was measured and the kept set chosen, for the report.</param>
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

    /// <summary>What <see cref="LayerSensitivity.Distortion"/> measures (e.g. the mean KL divergence per output row).</summary>
    public string DistortionKind { get; init; } = "";

    /// <summary>The output distortion of the full lowering on the probe samples (the baseline sensitivities are measured from).</summary>
    public double FullDistortion { get; init; }

    /// <summary>How many samples each sensitivity probe ran on.</summary>
    public int ProbeSamples { get; init; }

    /// <summary>The candidates the search scored on the whole evaluation set, in order: how many layers kept, and the score.</summary>
    public IReadOnlyList<MixedPrecisionStep> Steps { get; init; } = [];
}

/// <summary>One candidate of the search: the <paramref name="Layers"/> most sensitive layers kept, and its score on the evaluation set.</summary>
/// <param name="Layers">How many layers (or layer groups) were kept.</param>
/// <param name="Score">The candidate's score.</param>
/// <param name="MetBudget">Whether its drop was within the budget.</param>
public sealed record MixedPrecisionStep(int Layers, MetricScore Score, bool MetBudget);
