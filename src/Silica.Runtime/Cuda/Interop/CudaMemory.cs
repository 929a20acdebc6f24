namespace Silica.Runtime.Cuda.Interop;

/// <summary>
/// Copies and fills. The synchronous copies return when the copy is done but are not ordered after work queued on a
/// non-blocking <see cref="CudaStream"/>: synchronise that stream first.
/// </summary>
internal static unsafe class CudaMemory
{
    private const string Library = CudaDriver.Library;

    public static void CopyHostToDevice(ulong dst, ReadOnlySpan<byte> src)
    {
        var driver = Current();
        fixed (byte* p = src)
        {
            CudaStatus.Check(Library, "cuMemcpyHtoD_v2", driver.cuMemcpyHtoD_v2(dst, p, (nuint)src.Length));
        }
    }

    public static void CopyDeviceToHost(Span<byte> dst, ulong src)
    {
        var driver = Current();
        fixed (byte* p = dst)
        {
            CudaStatus.Check(Library, "cuMemcpyDtoH_v2", driver.cuMemcpyDtoH_v2(p, src, (nuint)dst.Length));
        }
    }

    /// <summary>Asynchronous only when <paramref name="src"/> is pinned (<see cref="AllocatePinned"/>); it must stay valid until the stream passes this point.</summary>
    public static void CopyHostToDeviceAsync(ulong dst, void* src, long bytes, CudaStream s) =>
        CudaStatus.Check(Library, "cuMemcpyHtoDAsync_v2", Current().cuMemcpyHtoDAsync_v2(dst, src, (nuint)bytes, s.Raw));

    public static void CopyDeviceToHostAsync(void* dst, ulong src, long bytes, CudaStream s) =>
        CudaStatus.Check(Library, "cuMemcpyDtoHAsync_v2", Current().cuMemcpyDtoHAsync_v2(dst, src, (nuint)bytes, s.Raw));

    public static void CopyDeviceToDeviceAsync(ulong dst, ulong src, long bytes, CudaStream s) =>
        CudaStatus.Check(Library, "cuMemcpyDtoDAsync_v2", Current().cuMemcpyDtoDAsync_v2(dst, src, (nuint)bytes, s.Raw));

    public static void MemsetAsync(ulong dst, byte value, long bytes, CudaStream s) =>
        CudaStatus.Check(Library, "cuMemsetD8Async", Current().cuMemsetD8Async(dst, value, (nuint)bytes, s.Raw));

    /// <summary>Page-locked host memory (<c>cuMemHostAlloc</c>, portable across contexts) for truly asynchronous copies.</summary>
    public static PinnedHostBuffer AllocatePinned(long bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        var driver = Current();
        void* p;
        CudaStatus.Check(Library, "cuMemHostAlloc", driver.cuMemHostAlloc(&p, (nuint)bytes, CuFlags.MemHostAllocPortable));
        return new PinnedHostBuffer(p, bytes);
    }

    private static CudaDriver Current()
    {
        var driver = CudaDriver.Instance;
        driver.EnsureCurrent();
        return driver;
    }
}
