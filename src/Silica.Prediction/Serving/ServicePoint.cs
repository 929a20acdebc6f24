namespace Silica.Prediction.Serving;

/// <summary>One measured or predicted point of a batch service-time curve.</summary>
/// <param name="Batch">Rows in the batch.</param>
/// <param name="P50Seconds">Median time to run one batch of that size, in seconds.</param>
/// <param name="P99Seconds">99th percentile of the same, in seconds (equal to the median for a deterministic curve).</param>
public sealed record ServicePoint(int Batch, double P50Seconds, double P99Seconds);
