using System.Runtime.InteropServices;

namespace Silica.Runtime.Cuda.Interop;

/// <summary>Device memory from <c>cuMemAlloc_v2</c>, freed with <c>cuMemFree_v2</c>.</summary>
internal sealed unsafe class DeviceBuffer : SafeHandle
{
    private DeviceBuffer(ulong pointer, long bytes)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle((IntPtr)(long)pointer);
        Bytes = bytes;
    }

    public ulong Pointer => (ulong)(long)handle;

    public long Bytes { get; }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static DeviceBuffer Allocate(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        var driver = CudaDriver.Instance;
        driver.EnsureCurrent();
        ulong pointer;
        CudaStatus.Check(CudaDriver.Library, "cuMemAlloc_v2", driver.cuMemAlloc_v2(&pointer, (nuint)bytes));
        return new DeviceBuffer(pointer, bytes);
    }

    protected override bool ReleaseHandle()
    {
        if (CudaDriver.TryEnterForRelease())
        {
            _ = CudaDriver.Loaded!.cuMemFree_v2(Pointer);
        }
        return true;
    }
}
