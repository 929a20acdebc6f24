using Microsoft.ML.OnnxRuntime;
using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Backends.Cpu;
using Tensor = Silica.Runtime.Tensors.Tensor;

namespace Silica.Runtime.Tests.Backends;

public sealed class BackendRegistryTests
{
    [Fact]
    public void Registry_Cpu_ReturnsCpuBackend()
    {
        var backend = BackendRegistry.CreateDefault().Get("cpu");

        Assert.IsType<CpuBackend>(backend);
        Assert.Equal(DeviceKind.Cpu, backend.Device.Kind);
        Assert.Equal(Environment.ProcessorCount, backend.Device.LogicalCores);
    }

    [Fact]
    public void Registry_Cuda_FailsWithNotAvailable()
    {
        if (Silica.Runtime.Cuda.Interop.CudaAvailability.TryProbe(out _, out _))
        {
            return; // A GPU machine: the backend is available there (CudaEngineGpuTests covers it).
        }
        var e = Assert.Throws<BackendNotAvailableException>(() => BackendRegistry.CreateDefault().Get("cuda"));

        Assert.StartsWith("backend 'cuda' is not available: ", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_UnknownName_ListsAvailable()
    {
        var e = Assert.Throws<BackendNotAvailableException>(() => BackendRegistry.CreateDefault().Get("tpu"));

        Assert.Equal("unknown backend 'tpu' (available: cpu, cuda)", e.Message);
    }

    [Fact]
    public void Registry_RegisterReplacesUnavailable_GetReturnsNewBackend()
    {
        var registry = BackendRegistry.CreateDefault();
        var cpu = new CpuBackend();
        registry.Register("cuda", () => cpu);

        Assert.Same(cpu, registry.Get("cuda"));
        Assert.True(registry.TryGet("CUDA", out var b));
        Assert.Same(cpu, b);
    }
}
