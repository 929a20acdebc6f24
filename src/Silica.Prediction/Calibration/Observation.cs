namespace Silica.Prediction;

/// <summary>One measured run time paired with the prior's prediction of it, split into terms.</summary>
/// <param name="Terms">The prior's terms for the measured configuration.</param>
/// <param name="MeasuredSeconds">The measured median latency of the run.</param>
/// <param name="Label">What was measured (e.g. <c>zoo:resnet50 batch 4</c>), for reports.</param>
public sealed record Observation(PredictionTerms Terms, double MeasuredSeconds, string Label = "");
