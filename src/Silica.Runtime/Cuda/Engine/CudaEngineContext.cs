using Silica.Runtime.Cuda.Interop;

namespace Silica.Runtime.Cuda.Engine;

/// <summary>
/// What every session of the backend shares: the device's primary context, the kernel cache, and the library handles.
/// cuBLASLt and cuDNN handles are bound to a stream per call, so one pair serves all sessions when runs are serialised
/// per session; concurrent sessions each get their own stream.
/// </summary>
internal sealed class CudaEngineContext : IDisposable
{
    private CudaEngineContext(CudaContext context, GpuDescription gpu)
    {
        Context = context;
        Gpu = gpu;
        Kernels = new KernelCache(gpu.Major, gpu.Minor);
    }

    public CudaContext Context { get; }

    public GpuDescription Gpu { get; }

    public KernelCache Kernels { get; }

    /// <summary>FP8 GEMMs (E4M3) need compute capability 8.9 (Ada) or 9.0 (Hopper) and newer.</summary>
    public bool HasFp8 => Gpu.Major > 8 || (Gpu.Major == 8 && Gpu.Minor >= 9);

    /// <summary>BF16 arithmetic needs compute capability 8.0 (Ampere) and newer.</summary>
    public bool HasBf16 => Gpu.Major >= 8;

    public static CudaEngineContext Open()
    {
        var context = CudaContext.Open(0);
        context.MakeCurrent();
        return new CudaEngineContext(context, context.Gpu);
    }

    public void Dispose()
    {
        Kernels.Dispose();
        Context.Dispose();
    }
}
