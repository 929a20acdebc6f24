namespace Silica.Prediction.Serving;

/// <summary>The highest arrival rate a batcher sustains within a p99 bound.</summary>
/// <param name="MaxQps">The rate, requests per second; 0 when even a very low rate misses the bound.</param>
/// <param name="AtMax">The simulated run at that rate (at the lowest rate tried when none met the bound).</param>
/// <param name="Iterations">Simulated runs the search took.</param>
public sealed record CapacityResult(double MaxQps, SimulationResult AtMax, int Iterations);
