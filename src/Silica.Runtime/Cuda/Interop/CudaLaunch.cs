namespace Silica.Runtime.Cuda.Interop;

/// <summary>Kernel launches (<c>cuLaunchKernel</c>).</summary>
internal static unsafe class CudaLaunch
{
    /// <summary>Queues a kernel; <c>args</c> holds one pointer per kernel parameter, each pointing at that parameter's value.</summary>
    public static void Launch(CudaFunction f, uint gx, uint gy, uint gz, uint bx, uint by, uint bz, int sharedBytes, CudaStream s, void** args)
    {
        var driver = CudaDriver.Instance;
        driver.EnsureCurrent();
        var code = driver.cuLaunchKernel(f.Raw, gx, gy, gz, bx, by, bz, (uint)sharedBytes, s.Raw, args, null);
        if (code != 0)
        {
            CudaStatus.Throw(CudaDriver.Library, "cuLaunchKernel", code);
        }
    }
}
