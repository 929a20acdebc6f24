namespace Silica.Runtime.Backends;

/// <summary>The device a backend runs on, as reported in results.</summary>
/// <param name="Kind">CPU or GPU.</param>
/// <param name="Name">The model name (<c>AMD EPYC 7B13</c>, <c>NVIDIA H100 80GB HBM3</c>).</param>
/// <param name="LogicalCores">Logical cores (CPU) or multiprocessors (GPU).</param>
/// <param name="MemoryBytes">Memory the device can use, when known.</param>
public sealed record DeviceInfo(DeviceKind Kind, string Name, int LogicalCores, long? MemoryBytes)
{
    /// <summary>The CPU this process runs on (model name from <c>/proc/cpuinfo</c> on Linux).</summary>
    public static DeviceInfo CurrentCpu { get; } = new(DeviceKind.Cpu, ReadCpuModel(), Environment.ProcessorCount, ReadTotalMemory());

    private static string ReadCpuModel()
    {
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                {
                    if (line.StartsWith("model name", StringComparison.Ordinal) && line.IndexOf(':', StringComparison.Ordinal) is var i and >= 0)
                    {
                        return line[(i + 1)..].Trim();
                    }
                }
            }
        }
        catch (IOException)
        {
            // Fall through: the name is informative only.
        }
        catch (UnauthorizedAccessException)
        {
        }
        return System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture + " CPU";
    }

    private static long? ReadTotalMemory()
    {
        var total = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return total > 0 ? total : null;
    }
}

/// <summary>Kinds of device.</summary>
public enum DeviceKind
{
    /// <summary>A CPU.</summary>
    Cpu,
    /// <summary>A GPU or other accelerator.</summary>
    Gpu,
}
