using Silica.Runtime.Power;

namespace Silica.Benchmarking.Inference;

/// <summary>Picks the best available energy source: RAPL counters when readable, else a labelled estimate.</summary>
public static class EnergyMeters
{
    /// <summary>Assumed CPU power per logical core when neither a counter nor a TDP is available.</summary>
    public const double AssumedWattsPerCore = 10;

    /// <summary>
    /// For a GPU backend, NVML's board energy when it can be read; for the CPU, the RAPL meter when it can be read;
    /// otherwise TDP × CPU utilization, marked estimated.
    /// </summary>
    public static IPowerMeter Create(double? cpuTdpWatts, bool gpu = false)
    {
        if (gpu)
        {
            var nvml = new NvmlPowerMeter();
            if (nvml.IsAvailable)
            {
                return nvml;
            }
            nvml.Dispose();
        }
        var rapl = new RaplPowerMeter();
        if (rapl.IsAvailable)
        {
            return rapl;
        }
        var tdp = cpuTdpWatts ?? AssumedWattsPerCore * Environment.ProcessorCount;
        return new CpuUtilizationEnergyEstimator(tdp);
    }

    /// <summary>Energy per inference from a measurement over a run and that run's sample throughput.</summary>
    public static EnergyFigure PerInference(EnergyMeasurement measurement, double samplesPerSecond, IPowerMeter meter, bool tdpAssumed)
    {
        var watts = measurement.AverageWatts;
        var method = meter.Method + (tdpAssumed && measurement.Source == EnergySource.Estimated
            ? $" (TDP assumed {AssumedWattsPerCore} W per logical core; pass a TDP for a better estimate)"
            : "");
        return new EnergyFigure(samplesPerSecond > 0 ? watts / samplesPerSecond : 0, watts, measurement.SourceLabel, method);
    }
}
