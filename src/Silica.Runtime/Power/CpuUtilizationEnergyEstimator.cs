using System.Diagnostics;
using System.Globalization;

namespace Silica.Runtime.Power;

/// <summary>
/// Estimates energy as the CPU's TDP scaled by this process's CPU utilization: <c>J = TDP × cpu_time / cores</c>.
/// For machines without readable counters; figures are labelled <see cref="EnergySource.Estimated"/> and ignore
/// idle power, memory and the rest of the platform.
/// </summary>
public sealed class CpuUtilizationEnergyEstimator : IPowerMeter
{
    private readonly double _tdpWatts;
    private readonly int _cores;
    private readonly TimeProvider _time;
    private readonly Func<TimeSpan> _processorTime;

    /// <summary>Creates the estimator.</summary>
    /// <param name="tdpWatts">Thermal design power of the CPU (all its cores).</param>
    /// <param name="logicalCores">Logical cores the TDP covers; defaults to this machine's count.</param>
    /// <param name="timeProvider">Clock for durations.</param>
    /// <param name="processorTime">CPU time consumed so far; defaults to this process's total processor time.</param>
    public CpuUtilizationEnergyEstimator(double tdpWatts, int? logicalCores = null, TimeProvider? timeProvider = null, Func<TimeSpan>? processorTime = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tdpWatts);
        _tdpWatts = tdpWatts;
        _cores = logicalCores ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_cores);
        _time = timeProvider ?? TimeProvider.System;
        _processorTime = processorTime ?? CurrentProcessTime;
        Method = string.Create(CultureInfo.InvariantCulture, $"estimated: {_tdpWatts:0.#} W TDP x process CPU utilization over {_cores} cores");
    }

    /// <inheritdoc/>
    public string Method { get; }

    /// <inheritdoc/>
    public EnergySource Source => EnergySource.Estimated;

    /// <inheritdoc/>
    public bool IsAvailable => true;

    /// <inheritdoc/>
    public string? UnavailableReason => null;

    /// <inheritdoc/>
    public EnergyReading Read() => new(_time.GetTimestamp(), [_processorTime().Ticks]);

    /// <inheritdoc/>
    public EnergyMeasurement Measure(EnergyReading start, EnergyReading end)
    {
        var wall = _time.GetElapsedTime(start.Timestamp, end.Timestamp);
        var cpu = TimeSpan.FromTicks(Math.Max(0, end.Counters[0] - start.Counters[0]));
        // Utilization cannot exceed all cores busy; clamp protects against clock skew between the two sources.
        var utilization = wall > TimeSpan.Zero ? Math.Clamp(cpu / (wall * _cores), 0, 1) : 0;
        return new EnergyMeasurement(_tdpWatts * utilization * wall.TotalSeconds, wall, Source, Method);
    }

    private static TimeSpan CurrentProcessTime()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime;
    }
}
