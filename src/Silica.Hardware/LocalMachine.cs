using System.Globalization;

namespace Silica.Hardware;

/// <summary>
/// This machine as a catalog entry, read from <c>/proc/cpuinfo</c> and <c>/proc/meminfo</c>. Peaks are estimated from
/// the ISA flags and the reported clock (per physical core), so they are a rough upper bound: measure with
/// <c>silica bench</c>. On systems without <c>/proc</c> only the CPU count is known.
/// </summary>
internal sealed record LocalMachine(DeviceSpec Device, int PhysicalCores, int LogicalCpus, SourcedValue? MemoryGiB)
{
    public static LocalMachine Describe() => Describe(
        ReadOrEmpty("/proc/cpuinfo"), ReadOrEmpty("/proc/meminfo"), Environment.ProcessorCount, DateTime.UtcNow);

    /// <summary>Describes a machine from the text of its <c>/proc</c> files (empty when absent).</summary>
    public static LocalMachine Describe(string cpuinfo, string meminfo, int logicalCpus, DateTime now)
    {
        var date = now.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        string? model = null;
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var cores = new HashSet<string>(StringComparer.Ordinal);
        double mhz = 0;
        var physical = "0";
        foreach (var raw in cpuinfo.Split('\n'))
        {
            var colon = raw.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }
            var key = raw[..colon].Trim();
            var value = raw[(colon + 1)..].Trim();
            switch (key)
            {
                case "model name" or "Model name":
                    model ??= value;
                    break;
                case "flags" or "Features":
                    flags.UnionWith(value.Split(' ', StringSplitOptions.RemoveEmptyEntries));
                    break;
                case "cpu MHz" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var m):
                    mhz = Math.Max(mhz, m);
                    break;
                case "physical id":
                    physical = value;
                    break;
                case "core id":
                    cores.Add(physical + "/" + value);
                    break;
            }
        }
        var physicalCores = cores.Count > 0 ? cores.Count : logicalCpus;
        var source = mhz > 0
            ? string.Create(CultureInfo.InvariantCulture, $"/proc/cpuinfo: estimated from ISA flags at {mhz:0} MHz")
            : "/proc/cpuinfo";
        SourcedValue? Peak(int opsPerCycle, string basis) => mhz > 0 && opsPerCycle > 0
            ? new SourcedValue(opsPerCycle * mhz / 1e6, source, date, $"{basis}: {opsPerCycle} ops/cycle/core; an upper bound, measure it")
            : null;
        var fp32 = flags.Contains("avx512f") ? 64 : flags.Contains("fma") ? 32 : 0;
        var bf16 = flags.Contains("amx_bf16") ? 1024 : flags.Contains("avx512_bf16") ? 128 : 0;
        var int8 = flags.Contains("amx_int8") ? 2048 : flags.Contains("avx512_vnni") ? 256 : flags.Contains("avx_vnni") ? 128 : 0;
        var fp16 = flags.Contains("avx512_fp16") ? 128 : 0;
        var device = new DeviceSpec
        {
            Id = InstanceEntryReader.LocalDeviceId,
            Name = model ?? "this machine's CPU core",
            Class = DeviceClass.Cpu,
            Unit = "core",
            Peak = new PeakThroughput(
                Peak(fp32, fp32 == 64 ? "AVX-512" : "AVX2 FMA"), null,
                Peak(bf16, bf16 == 1024 ? "AMX" : "AVX512-BF16"), Peak(fp16, "AVX512-FP16"), null,
                Peak(int8, int8 == 2048 ? "AMX" : "VNNI")),
            MemoryBandwidthGBps = null,
            Local = true,
            Note = "Described at run time from this machine; memory bandwidth unknown until measured.",
        };
        return new LocalMachine(device, physicalCores, logicalCpus, ReadMemory(meminfo, date));
    }

    private static SourcedValue? ReadMemory(string meminfo, string date)
    {
        foreach (var line in meminfo.Split('\n'))
        {
            if (line.StartsWith("MemTotal:", StringComparison.Ordinal)
                && long.TryParse(line["MemTotal:".Length..].Replace("kB", "", StringComparison.Ordinal).Trim(), out var kb))
            {
                return new SourcedValue(kb / (1024.0 * 1024.0), "/proc/meminfo", date);
            }
        }
        return null;
    }

    private static string ReadOrEmpty(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : "";
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
