using System.Globalization;
using System.Runtime.InteropServices;

namespace Silica.Benchmarking.Results;

/// <summary>
/// Where a result was measured. <see cref="Capture"/> fills what the process can see (CPU, memory, OS,
/// .NET); the runtime version, model hash and device are left for the caller that knows them.
/// </summary>
public sealed record EnvironmentInfo
{
    /// <summary>CPU model name, for example "AMD EPYC 7763 64-Core Processor".</summary>
    public string? CpuModel { get; init; }

    /// <summary>Logical processors available to the process.</summary>
    public int LogicalCores { get; init; }

    /// <summary>Physical cores (distinct core ids per socket), when the OS reports them.</summary>
    public int? PhysicalCores { get; init; }

    /// <summary>Total physical memory, bytes, when the OS reports it.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>Operating system description.</summary>
    public string? Os { get; init; }

    /// <summary>Process architecture (X64, Arm64, …).</summary>
    public string? Architecture { get; init; }

    /// <summary>.NET runtime description, for example ".NET 10.0.0".</summary>
    public string? DotNetVersion { get; init; }

    /// <summary>ONNX Runtime version, set by the caller that ran the model.</summary>
    public string? OnnxRuntimeVersion { get; init; }

    /// <summary>Hash of the model file (for example "sha256:…"), set by the caller.</summary>
    public string? ModelHash { get; init; }

    /// <summary>Execution device (for example "cpu", "cuda:0 NVIDIA H100"), set by the caller.</summary>
    public string? Device { get; init; }

    /// <summary>Reads the CPU model and core count from /proc/cpuinfo, memory from /proc/meminfo, and OS and .NET from <see cref="RuntimeInformation"/>.</summary>
    /// <returns>The environment; fields the OS does not expose are <see langword="null"/>.</returns>
    public static EnvironmentInfo Capture()
    {
        var cpuInfo = TryRead("/proc/cpuinfo");
        var memInfo = TryRead("/proc/meminfo");
        return new EnvironmentInfo
        {
            CpuModel = cpuInfo is null ? System.Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") : ParseCpuModel(cpuInfo),
            LogicalCores = System.Environment.ProcessorCount,
            PhysicalCores = cpuInfo is null ? null : ParsePhysicalCores(cpuInfo),
            MemoryBytes = memInfo is null ? null : ParseMemTotalBytes(memInfo),
            Os = RuntimeInformation.OSDescription,
            Architecture = RuntimeInformation.ProcessArchitecture.ToString(),
            DotNetVersion = RuntimeInformation.FrameworkDescription,
        };
    }

    /// <summary>The first "model name" (x86) or "Model"/"Hardware" (Arm) line of /proc/cpuinfo.</summary>
    internal static string? ParseCpuModel(string cpuInfo)
    {
        string? fallback = null;
        foreach (var (key, value) in Fields(cpuInfo))
        {
            if (key == "model name")
            {
                return value;
            }

            if (key is "Model" or "Hardware" && fallback is null)
            {
                fallback = value;
            }
        }

        return fallback;
    }

    /// <summary>Distinct (physical id, core id) pairs; <see langword="null"/> when cpuinfo lacks them (many Arm kernels).</summary>
    internal static int? ParsePhysicalCores(string cpuInfo)
    {
        var cores = new HashSet<(string, string)>();
        var physicalId = "0";
        foreach (var (key, value) in Fields(cpuInfo))
        {
            if (key == "physical id")
            {
                physicalId = value;
            }
            else if (key == "core id")
            {
                cores.Add((physicalId, value));
            }
        }

        return cores.Count == 0 ? null : cores.Count;
    }

    /// <summary>MemTotal from /proc/meminfo, which the kernel prints in KiB.</summary>
    internal static long? ParseMemTotalBytes(string memInfo)
    {
        foreach (var (key, value) in Fields(memInfo))
        {
            if (key == "MemTotal")
            {
                var number = value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
                return long.TryParse(number, NumberStyles.Integer, CultureInfo.InvariantCulture, out var kib) ? kib * 1024 : null;
            }
        }

        return null;
    }

    private static IEnumerable<(string Key, string Value)> Fields(string text)
    {
        foreach (var line in text.Split('\n'))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                yield return (line[..colon].Trim(), line[(colon + 1)..].Trim());
            }
        }
    }

    private static string? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
