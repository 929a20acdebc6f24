using System.Runtime.InteropServices;

namespace Silica.Runtime.Cuda.Interop;

/// <summary>Page-locked host memory from <c>cuMemHostAlloc</c>, freed with <c>cuMemFreeHost</c>.</summary>
internal sealed unsafe class PinnedHostBuffer : SafeHandle
{
    internal PinnedHostBuffer(void* pointer, long bytes)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        SetHandle((IntPtr)pointer);
        Bytes = bytes;
    }

    public void* Pointer => (void*)handle;

    public long Bytes { get; }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>The memory as a span (only for buffers under 2 GiB).</summary>
    public Span<byte> AsSpan() => new((void*)handle, checked((int)Bytes));

    protected override bool ReleaseHandle()
    {
        if (CudaDriver.TryEnterForRelease())
        {
            _ = CudaDriver.Loaded!.cuMemFreeHost((void*)handle);
        }
        return true;
    }
}
