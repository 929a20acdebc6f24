namespace Silica.Prediction.Serving;

/// <summary>One point of a measured service-time distribution: the time below which <see cref="Probability"/> of batches finish.</summary>
/// <param name="Probability">Cumulative probability, 0 (the fastest batch) to 1 (the slowest).</param>
/// <param name="Seconds">The service time at that probability, in seconds.</param>
public sealed record ServiceQuantile(double Probability, double Seconds);
