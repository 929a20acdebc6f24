namespace Silica.Prediction.Serving;

/// <summary>How long a simulation runs and with which random numbers.</summary>
public sealed record SimulationOptions
{
    /// <summary>Requests measured (after the warm-up); percentiles and rates are over these.</summary>
    public int Requests { get; init; } = 20000;

    /// <summary>Requests simulated first and not measured, so the queue starts from a typical state, not empty.</summary>
    public int WarmupRequests { get; init; } = 1000;

    /// <summary>Seed of the arrival and service-time draws; the same seed gives the same result.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Latency the platform adds outside the servers, per percentile (see <see cref="Serving.RequestOverhead"/>); none by default.</summary>
    public RequestOverhead Overhead { get; init; } = RequestOverhead.None;

    /// <summary>
    /// When set, the Poisson arrivals are conditioned on their expected count in every window of this length (the
    /// count before each multiple of the window is exactly round(rate × t)), as <c>silica bench</c>'s server scenario
    /// schedules them; null (the default) is a plain Poisson process. Conditioning removes the slow swings of the
    /// arrival rate that build the longest queues, so validate against the bench with it and plan without it.
    /// </summary>
    public TimeSpan? CountWindow { get; init; }

    /// <summary>Checks the values are usable.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (Requests < 1)
        {
            throw new ArgumentException($"Requests must be at least 1 (is {Requests})");
        }
        if (WarmupRequests < 0)
        {
            throw new ArgumentException($"WarmupRequests must not be negative (is {WarmupRequests})");
        }
        ArgumentNullException.ThrowIfNull(Overhead);
        if (CountWindow is { } w && w <= TimeSpan.Zero)
        {
            throw new ArgumentException($"CountWindow must be positive (is {w})");
        }
    }
}
