using Silica.Benchmarking.Results;

namespace Silica.Benchmarking.Tests.Results;

public class EnvironmentInfoTests
{
    private const string X86CpuInfo = """
        processor	: 0
        physical id	: 0
        core id		: 0
        model name	: AMD EPYC 7763 64-Core Processor

        processor	: 1
        physical id	: 0
        core id		: 0
        model name	: AMD EPYC 7763 64-Core Processor

        processor	: 2
        physical id	: 0
        core id		: 1
        model name	: AMD EPYC 7763 64-Core Processor
        """;

    private const string ArmCpuInfo = """
        processor	: 0
        BogoMIPS	: 243.75
        CPU part	: 0xd0c

        Hardware	: BCM2835
        Model		: Raspberry Pi 4 Model B Rev 1.4
        """;

    [Theory]
    [InlineData(X86CpuInfo, "AMD EPYC 7763 64-Core Processor", 2)]
    [InlineData(ArmCpuInfo, "BCM2835", null)]
    public void ParseCpuInfo_KernelText_ModelAndPhysicalCores(string text, string model, int? cores)
    {
        Assert.Equal(model, EnvironmentInfo.ParseCpuModel(text));
        Assert.Equal(cores, EnvironmentInfo.ParsePhysicalCores(text));
    }

    [Theory]
    [InlineData("MemTotal:       16384 kB\nMemFree:  1 kB\n", 16384L * 1024)]
    [InlineData("MemFree:  1 kB\n", null)]
    public void ParseMemTotalBytes_MemInfo_KibToBytes(string text, long? expected)
    {
        Assert.Equal(expected, EnvironmentInfo.ParseMemTotalBytes(text));
    }

    [Fact]
    public void Capture_ThisMachine_FillsWhatTheProcessCanSee()
    {
        var info = EnvironmentInfo.Capture();

        Assert.Equal(Environment.ProcessorCount, info.LogicalCores);
        Assert.StartsWith(".NET", info.DotNetVersion, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(info.Os));
        Assert.Null(info.OnnxRuntimeVersion);
        if (OperatingSystem.IsLinux())
        {
            Assert.True(info.MemoryBytes > 0);
        }
    }
}
