namespace Silica.Prediction.Serving;

/// <summary>The measured distribution of one batch size's service time, as quantiles (e.g. min, p50, p90, p99, p99.9, max).</summary>
/// <param name="Batch">Rows in the batch.</param>
/// <param name="Quantiles">At least one quantile; probabilities within 0–1 and distinct.</param>
public sealed record ServiceDistribution(int Batch, IReadOnlyList<ServiceQuantile> Quantiles);
