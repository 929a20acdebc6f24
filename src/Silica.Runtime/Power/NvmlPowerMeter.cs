using System.Diagnostics;
using Silica.Runtime.Cuda.Interop;

namespace Silica.Runtime.Power;

/// <summary>
/// GPU board energy from NVML: the total-energy counter (millijoules, Volta and newer) when the driver offers it,
/// otherwise the power reading sampled every 50 ms and integrated. Measured, for the GPU board only (not the host).
/// </summary>
public sealed class NvmlPowerMeter : IPowerMeter, IDisposable
{
    private readonly Nvml? _nvml;
    private readonly bool _counter;
    private readonly Timer? _sampler;
    private long _integratedMicrojoules;
    private long _lastSample;

    /// <summary>Opens NVML on device 0; <see cref="IsAvailable"/> says whether it worked.</summary>
    public NvmlPowerMeter()
    {
        try
        {
            if (!Nvml.TryOpen(out _nvml, out var reason))
            {
                UnavailableReason = reason ?? "NVML is not available";
                Method = "nvml";
                return;
            }
            _counter = _nvml!.TotalEnergyMillijoules() is not null;
            Method = _counter ? "nvml:total-energy" : "nvml:power-sampled-50ms";
            if (!_counter)
            {
                _lastSample = Stopwatch.GetTimestamp();
                _sampler = new Timer(_ => Sample(), null, 50, 50);
            }
        }
        catch (Exception e) when (e is CudaException or DllNotFoundException or EntryPointNotFoundException)
        {
            UnavailableReason = e.Message;
            Method = "nvml";
        }
    }

    /// <inheritdoc />
    public string Method { get; }

    /// <inheritdoc />
    public EnergySource Source => EnergySource.Measured;

    /// <inheritdoc />
    public bool IsAvailable => UnavailableReason is null;

    /// <inheritdoc />
    public string? UnavailableReason { get; }

    /// <inheritdoc />
    public EnergyReading Read()
    {
        if (!IsAvailable)
        {
            throw new InvalidOperationException($"NVML is not available: {UnavailableReason}");
        }
        var microjoules = _counter ? (long)_nvml!.TotalEnergyMillijoules()!.Value * 1000 : Interlocked.Read(ref _integratedMicrojoules);
        return new EnergyReading(Stopwatch.GetTimestamp(), [microjoules]);
    }

    /// <inheritdoc />
    public EnergyMeasurement Measure(EnergyReading start, EnergyReading end)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(end);
        var joules = Math.Max(0, end.Counters[0] - start.Counters[0]) / 1e6;
        return new EnergyMeasurement(joules, Stopwatch.GetElapsedTime(start.Timestamp, end.Timestamp), EnergySource.Measured, Method);
    }

    /// <summary>Current board power in watts.</summary>
    public double CurrentWatts() => IsAvailable ? _nvml!.PowerMilliwatts() / 1000.0 : double.NaN;

    /// <inheritdoc />
    public void Dispose()
    {
        _sampler?.Dispose();
        _nvml?.Dispose();
    }

    private void Sample()
    {
        try
        {
            var now = Stopwatch.GetTimestamp();
            var watts = _nvml!.PowerMilliwatts() / 1000.0;
            var seconds = Stopwatch.GetElapsedTime(_lastSample, now).TotalSeconds;
            _lastSample = now;
            Interlocked.Add(ref _integratedMicrojoules, (long)(watts * seconds * 1e6));
        }
        catch (CudaException)
        {
            // A missed sample under-counts by 50 ms of power; better than stopping the run.
        }
    }
}
