namespace Silica.Prediction.Serving;

/// <summary>Latency percentiles measured on the real system (e.g. a <c>silica bench --scenario server</c> run), in seconds.</summary>
/// <param name="P50Seconds">Median.</param>
/// <param name="P90Seconds">90th percentile.</param>
/// <param name="P99Seconds">99th percentile.</param>
public sealed record MeasuredLatency(double P50Seconds, double P90Seconds, double P99Seconds);
