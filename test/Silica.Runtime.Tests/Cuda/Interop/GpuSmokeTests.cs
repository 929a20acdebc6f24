using Silica.Runtime.Cuda.Interop;

namespace Silica.Runtime.Tests.Cuda.Interop;

// Runs only where a CUDA GPU is present (returns early elsewhere: xUnit 2 has no runtime skip). Covers the driver,
// NVRTC, cuBLASLt descriptors/heuristic, cuDNN descriptors and NVML signatures end to end.
public sealed class GpuSmokeTests
{
    private static bool HasGpu() => CudaAvailability.TryProbe(out _, out _);

    [Fact]
    public void Memory_RoundTripAndMemset_OnStream()
    {
        if (!HasGpu())
        {
            return;
        }
        using var context = CudaContext.Open();
        using var buffer = DeviceBuffer.Allocate(1024);
        using var stream = CudaStream.Create();
        var data = Enumerable.Range(0, 1024).Select(i => (byte)i).ToArray();

        CudaMemory.CopyHostToDevice(buffer.Pointer, data);
        CudaMemory.MemsetAsync(buffer.Pointer + 512, 7, 512, stream);
        stream.Synchronize();
        var back = new byte[1024];
        CudaMemory.CopyDeviceToHost(back, buffer.Pointer);

        Assert.Equal(data[..512], back[..512]);
        Assert.All(back[512..], b => Assert.Equal(7, b));
        Assert.True(context.MemoryInfo().Total > 0);
    }

    [Fact]
    public void Nvrtc_CompilesAndModuleExposesKernel()
    {
        if (!HasGpu())
        {
            return;
        }
        using var context = CudaContext.Open();
        const string source = "#include <cuda_fp16.h>\nextern \"C\" __global__ void fill(float* y, float v, int n) { int i = blockIdx.x * blockDim.x + threadIdx.x; if (i < n) y[i] = v; }";
        var (image, _, _) = Nvrtc.Compile(source, "fill.cu", context.Gpu.Major, context.Gpu.Minor, []);
        using var module = CudaModule.Load(image);

        Assert.NotEqual(IntPtr.Zero, module.GetFunction("fill").Raw);
        var e = Assert.Throws<CudaException>(() => Nvrtc.Compile("this is not C++", "bad.cu", context.Gpu.Major, context.Gpu.Minor, []));
        Assert.Equal("nvrtc", e.Library);
    }

    [Fact]
    public void CublasLt_HeuristicFindsAlgorithmForSquareFp32()
    {
        if (!HasGpu())
        {
            return;
        }
        using var context = CudaContext.Open();
        using var lt = CublasLt.Create();
        using var desc = CublasLt.MatmulDesc.Create(CublasLt.ComputeType.CUBLAS_COMPUTE_32F, CublasLt.DataType.R_32F);
        desc.SetAttribute(CublasLt.MatmulDescAttribute.TRANSA, CublasLt.Operation.N);
        desc.SetAttribute(CublasLt.MatmulDescAttribute.EPILOGUE, CublasLt.Epilogue.DEFAULT);
        using var layout = CublasLt.MatrixLayout.Create(CublasLt.DataType.R_32F, 64, 64, 64);
        using var preference = CublasLt.MatmulPreference.Create();
        preference.SetMaxWorkspace(1 << 22);

        Assert.True(lt.TryGetHeuristic(desc, layout, layout, layout, layout, preference, out _, out var workspace));
        Assert.True(workspace <= 1 << 22);
    }

    [Fact]
    public void CuDnn_DescriptorsAndHeuristicForConv()
    {
        if (!HasGpu())
        {
            return;
        }
        using var context = CudaContext.Open();
        using var dnn = CuDnn.Create();
        using var x = CuDnn.TensorDescriptor.Create(CuDnn.DataType.Float, CuDnn.TensorFormat.NCHW, 1, 3, 32, 32);
        using var w = CuDnn.FilterDescriptor.Create(CuDnn.DataType.Float, CuDnn.TensorFormat.NCHW, 8, 3, 3, 3);
        using var conv = CuDnn.ConvolutionDescriptor.Create(1, 1, 1, 1, 1, 1, 1, CuDnn.DataType.Float, CuDnn.MathType.Fma);

        Assert.Equal((1, 8, 32, 32), CuDnn.OutputDim(conv, x, w));
        using var y = CuDnn.TensorDescriptor.Create(CuDnn.DataType.Float, CuDnn.TensorFormat.NCHW, 1, 8, 32, 32);
        var (algo, bytes) = dnn.GetForwardAlgorithm(x, w, conv, y, 1 << 26);
        Assert.True(bytes <= 1 << 26);
        Assert.True(dnn.ForwardWorkspaceSize(x, w, conv, y, algo) <= 1 << 26);
    }

    [Fact]
    public void Nvml_ReadsPowerAndMemory()
    {
        if (!HasGpu() || !Nvml.TryOpen(out var nvml, out _))
        {
            return;
        }
        using (nvml)
        {
            Assert.True(nvml!.PowerMilliwatts() > 0);
            Assert.True(nvml.Memory().total > 0);
            Assert.False(string.IsNullOrEmpty(nvml.DeviceName()));
        }
    }
}
