using System.Runtime.InteropServices;

namespace Silica.Runtime.Cuda.Interop;

/// <summary>A non-blocking stream (does not synchronise with the legacy default stream).</summary>
internal sealed unsafe class CudaStream : SafeHandle
{
    private CudaStream(IntPtr stream)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(stream);

    public IntPtr Raw => handle;

    public override bool IsInvalid => handle == IntPtr.Zero;

    public static CudaStream Create()
    {
        var driver = CudaDriver.Instance;
        driver.EnsureCurrent();
        IntPtr stream;
        CudaStatus.Check(CudaDriver.Library, "cuStreamCreate", driver.cuStreamCreate(&stream, CuFlags.StreamNonBlocking));
        return new CudaStream(stream);
    }

    public void Synchronize()
    {
        var driver = CudaDriver.Instance;
        driver.EnsureCurrent();
        CudaStatus.Check(CudaDriver.Library, "cuStreamSynchronize", driver.cuStreamSynchronize(handle));
    }

    /// <summary>
    /// Starts recording work on this stream into a graph instead of running it. Thread-local mode: other threads may
    /// keep making unsafe calls (e.g. allocations) while this thread captures.
    /// </summary>
    public void BeginCapture()
    {
        var driver = CudaDriver.Instance;
        driver.EnsureCurrent();
        CudaStatus.Check(CudaDriver.Library, "cuStreamBeginCapture_v2",
            driver.cuStreamBeginCapture_v2(handle, CuFlags.StreamCaptureModeThreadLocal));
    }

    /// <summary>Ends the capture and instantiates the graph; the graph itself is destroyed once instantiated.</summary>
    public CudaGraphExec EndCapture()
    {
        var driver = CudaDriver.Instance;
        driver.EnsureCurrent();
        IntPtr graph;
        CudaStatus.Check(CudaDriver.Library, "cuStreamEndCapture", driver.cuStreamEndCapture(handle, &graph));
        try
        {
            IntPtr exec;
            CudaStatus.Check(CudaDriver.Library, "cuGraphInstantiateWithFlags", driver.cuGraphInstantiateWithFlags(&exec, graph, 0));
            return new CudaGraphExec(exec);
        }
        finally
        {
            _ = driver.cuGraphDestroy(graph);
        }
    }

    protected override bool ReleaseHandle()
    {
        if (CudaDriver.TryEnterForRelease())
        {
            _ = CudaDriver.Loaded!.cuStreamDestroy_v2(handle);
        }
        return true;
    }
}
