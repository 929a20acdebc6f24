namespace Silica.Hardware.Tests;

public sealed class LocalMachineTests
{
    [Fact]
    public void Describe_SapphireRapidsCpuinfo_CountsCoresAndEstimatesAmxPeak()
    {
        var cpuinfo = string.Join('\n', Enumerable.Range(0, 4).Select(i =>
            $"processor\t: {i}\nmodel name\t: Intel(R) Xeon(R) Platinum 8488C\ncpu MHz\t\t: 3200.000\nphysical id\t: 0\ncore id\t\t: {i / 2}\nflags\t\t: fma avx512f amx_bf16 amx_int8 avx512_fp16\n"));
        var local = LocalMachine.Describe(cpuinfo, "MemTotal:       16777216 kB\n", 4, new DateTime(2025, 3, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(2, local.PhysicalCores);
        Assert.Equal(16.0, local.MemoryGiB!.Value, 6);
        Assert.Equal(3.2768, local.Device.Peak.Bf16!.Value, 6);
        Assert.Equal(6.5536, local.Device.Peak.Int8!.Value, 6);
        Assert.Equal("2025-03", local.Device.Peak.Fp32!.Date);
    }

    [Fact]
    public void Describe_NoProcFiles_FallsBackToProcessorCount()
    {
        var local = LocalMachine.Describe("", "", 8, DateTime.UtcNow);
        Assert.Equal(8, local.PhysicalCores);
        Assert.Null(local.MemoryGiB);
        Assert.Null(local.Device.Peak.Fp32);
    }
}
