using Silica.Runtime.Cuda.Interop;

namespace Silica.Runtime.Tests.Cuda.Interop;

public sealed class CudaAvailabilityTests
{
    [Fact]
    public void TryProbe_NeverThrows_AndGivesOneLineReason()
    {
        var ok = CudaAvailability.TryProbe(out var reason, out var gpu);

        Assert.False(string.IsNullOrWhiteSpace(reason));
        Assert.DoesNotContain('\n', reason);
        Assert.Equal(ok, gpu is not null);
        if (ok)
        {
            Assert.True(gpu!.Major >= 3 && gpu.MultiprocessorCount > 0 && gpu.TotalMemoryBytes > 0);
        }
    }

    [Fact]
    public void TryProbe_WithoutDriver_SaysNoDriver()
    {
        if (CudaLibraries.TryLoad("cuda", out _, out _))
        {
            return; // only meaningful on a machine without libcuda
        }
        Assert.False(CudaAvailability.TryProbe(out var reason, out var gpu));
        Assert.Null(gpu);
        Assert.StartsWith("no NVIDIA driver (libcuda.so.1 not found", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CudaStatus_UnloadedLibrary_FallsBackToCode()
    {
        var e = Assert.Throws<CudaException>(() => CudaStatus.Check("cudnn", "cudnnCreate", 4000));

        Assert.Equal("cudnn", e.Library);
        Assert.Equal(4000, e.Status);
        Assert.StartsWith("cudnn: cudnnCreate failed: ", e.Message, StringComparison.Ordinal);
        Assert.EndsWith("(4000)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CudaStatus_Success_DoesNotThrow() => CudaStatus.Check("cuda", "cuInit", 0);

    [Fact]
    public void Nvml_TryOpen_WithoutLibrary_ReturnsFalseWithReason()
    {
        if (Nvml.TryOpen(out var nvml, out var reason))
        {
            nvml!.Dispose();
            return;
        }
        Assert.Null(nvml);
        Assert.Contains("nvml", reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(90, new[] { 75, 80, 86, 89, 90, 100, 120 }, "sm_90", true)]
    [InlineData(103, new[] { 75, 80, 90, 100 }, "compute_100", false)]
    [InlineData(121, new[] { 80, 90 }, "compute_90", false)]
    public void Nvrtc_ChooseArchitecture_CubinWhenKnownElsePtx(int device, int[] supported, string expected, bool cubin)
    {
        var (arch, isCubin) = Nvrtc.ChooseArchitecture(device, supported);
        Assert.Equal(expected, arch);
        Assert.Equal(cubin, isCubin);
    }
}
