namespace Silica.Runtime.Power;

/// <summary>
/// Measures (or estimates) energy used between two readings. Take a <see cref="Read"/> before and after the
/// work, then ask <see cref="Measure"/> for the joules in between.
/// </summary>
public interface IPowerMeter
{
    /// <summary>How the energy is obtained, for reports (<c>rapl:package-0</c>, <c>estimated: 65 W TDP × CPU utilization</c>).</summary>
    string Method { get; }

    /// <summary>Whether figures are measured by hardware counters or estimated.</summary>
    EnergySource Source { get; }

    /// <summary>True when the meter can read on this machine.</summary>
    bool IsAvailable { get; }

    /// <summary>Why the meter cannot read, when <see cref="IsAvailable"/> is false.</summary>
    string? UnavailableReason { get; }

    /// <summary>Takes a reading now.</summary>
    /// <exception cref="InvalidOperationException">The meter is not available.</exception>
    EnergyReading Read();

    /// <summary>The energy used between two readings of this meter.</summary>
    EnergyMeasurement Measure(EnergyReading start, EnergyReading end);
}

/// <summary>Whether an energy figure came from hardware counters or a model.</summary>
public enum EnergySource
{
    /// <summary>Read from hardware energy counters (RAPL, NVML).</summary>
    Measured,
    /// <summary>Computed from a model (TDP × utilization); indicative only.</summary>
    Estimated,
}

/// <summary>A meter's raw reading: a timestamp (<see cref="TimeProvider"/> ticks) and meter-specific counters.</summary>
/// <param name="Timestamp">When the reading was taken, from the meter's <see cref="TimeProvider"/>.</param>
/// <param name="Counters">Counter values (microjoules per RAPL zone, or CPU-time ticks).</param>
public sealed record EnergyReading(long Timestamp, IReadOnlyList<long> Counters);

/// <summary>Energy used over an interval.</summary>
/// <param name="Joules">Energy in joules.</param>
/// <param name="Duration">Length of the interval.</param>
/// <param name="Source">Measured or estimated.</param>
/// <param name="Method">How it was obtained.</param>
public sealed record EnergyMeasurement(double Joules, TimeSpan Duration, EnergySource Source, string Method)
{
    /// <summary>Average power over the interval in watts (0 for an empty interval).</summary>
    public double AverageWatts => Duration > TimeSpan.Zero ? Joules / Duration.TotalSeconds : 0;

    /// <summary>The label results carry: <c>measured</c> or <c>estimated</c>.</summary>
    public string SourceLabel => Source == EnergySource.Measured ? "measured" : "estimated";
}
