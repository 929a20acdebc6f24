using System.Runtime.InteropServices;

namespace Silica.Runtime.Cuda.Interop;

/// <summary>An instantiated CUDA graph (from <see cref="CudaStream.EndCapture"/>), launched as one unit.</summary>
internal sealed unsafe class CudaGraphExec : SafeHandle
{
    internal CudaGraphExec(IntPtr exec)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(exec);

    public override bool IsInvalid => handle == IntPtr.Zero;

    public void Launch(CudaStream s)
    {
        var driver = CudaDriver.Instance;
        driver.EnsureCurrent();
        CudaStatus.Check(CudaDriver.Library, "cuGraphLaunch", driver.cuGraphLaunch(handle, s.Raw));
    }

    protected override bool ReleaseHandle()
    {
        if (CudaDriver.TryEnterForRelease())
        {
            _ = CudaDriver.Loaded!.cuGraphExecDestroy(handle);
        }
        return true;
    }
}
