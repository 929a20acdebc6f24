namespace Silica.Runtime.Cuda.Interop;

/// <summary>
/// The primary context of one device (the one the runtime API and cuDNN/cuBLAS share), retained while this is open.
/// Opening it makes it the context every wrapper in this folder binds to on the calling thread.
/// </summary>
internal sealed unsafe class CudaContext : IDisposable
{
    private readonly CudaDriver _driver;
    private readonly int _device;
    private IntPtr _context;

    private CudaContext(CudaDriver driver, int device, IntPtr context, GpuDescription gpu)
    {
        _driver = driver;
        _device = device;
        _context = context;
        Gpu = gpu;
    }

    public GpuDescription Gpu { get; }

    public IntPtr Raw => _context;

    public static CudaContext Open(int ordinal = 0)
    {
        var driver = CudaDriver.Instance;
        int device;
        CudaStatus.Check(CudaDriver.Library, "cuDeviceGet", driver.cuDeviceGet(&device, ordinal));
        IntPtr context;
        CudaStatus.Check(CudaDriver.Library, "cuDevicePrimaryCtxRetain", driver.cuDevicePrimaryCtxRetain(&context, device));
        driver.Context = context;
        var opened = new CudaContext(driver, device, context, driver.Describe(ordinal));
        opened.MakeCurrent();
        return opened;
    }

    public void MakeCurrent()
    {
        ObjectDisposedException.ThrowIf(_context == IntPtr.Zero, this);
        _driver.Context = _context;
        _driver.EnsureCurrent();
    }

    public (long Free, long Total) MemoryInfo()
    {
        MakeCurrent();
        nuint free, total;
        CudaStatus.Check(CudaDriver.Library, "cuMemGetInfo_v2", _driver.cuMemGetInfo_v2(&free, &total));
        return ((long)free, (long)total);
    }

    public void Dispose()
    {
        if (_context == IntPtr.Zero)
        {
            return;
        }
        if (_driver.Context == _context)
        {
            _driver.Context = IntPtr.Zero;
        }
        _context = IntPtr.Zero;
        // The status is ignored: at process exit the driver may already be deinitialised.
        _ = _driver.cuDevicePrimaryCtxRelease_v2(_device);
    }
}
