using System.Runtime.InteropServices;

namespace Silica.Runtime.Cuda.Interop;

/// <summary>A CUDA event: a marker in a stream to wait on or to time between.</summary>
internal sealed unsafe class CudaEvent : SafeHandle
{
    private CudaEvent(IntPtr e)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(e);

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <param name="timing">False gives a lighter event that cannot be timed (CU_EVENT_DISABLE_TIMING).</param>
    public static CudaEvent Create(bool timing = true)
    {
        var driver = CudaDriver.Instance;
        driver.EnsureCurrent();
        IntPtr e;
        CudaStatus.Check(CudaDriver.Library, "cuEventCreate",
            driver.cuEventCreate(&e, timing ? CuFlags.EventDefault : CuFlags.EventDisableTiming));
        return new CudaEvent(e);
    }

    public void Record(CudaStream s)
    {
        var driver = CudaDriver.Instance;
        driver.EnsureCurrent();
        CudaStatus.Check(CudaDriver.Library, "cuEventRecord", driver.cuEventRecord(handle, s.Raw));
    }

    public void Synchronize()
    {
        var driver = CudaDriver.Instance;
        driver.EnsureCurrent();
        CudaStatus.Check(CudaDriver.Library, "cuEventSynchronize", driver.cuEventSynchronize(handle));
    }

    /// <summary>Milliseconds between two recorded, completed timing events (about 0.5 µs resolution).</summary>
    public static float ElapsedMs(CudaEvent start, CudaEvent end)
    {
        var driver = CudaDriver.Instance;
        driver.EnsureCurrent();
        float ms;
        CudaStatus.Check(CudaDriver.Library, "cuEventElapsedTime",
            driver.cuEventElapsedTime(&ms, start.handle, end.handle));
        return ms;
    }

    protected override bool ReleaseHandle()
    {
        if (CudaDriver.TryEnterForRelease())
        {
            _ = CudaDriver.Loaded!.cuEventDestroy_v2(handle);
        }
        return true;
    }
}
