namespace Silica.Runtime.Cuda.Interop;

/// <summary>A kernel in a <see cref="CudaModule"/> (CUfunction); owned by the module.</summary>
internal readonly unsafe struct CudaFunction(IntPtr raw)
{
    public IntPtr Raw { get; } = raw;

    /// <summary>Lets a launch ask for more than 48 KiB of dynamic shared memory (up to the device's opt-in limit).</summary>
    public void SetMaxDynamicSharedMemory(int bytes)
    {
        var driver = CudaDriver.Instance;
        driver.EnsureCurrent();
        CudaStatus.Check(CudaDriver.Library, "cuFuncSetAttribute",
            driver.cuFuncSetAttribute(Raw, CuFlags.FuncAttributeMaxDynamicSharedSizeBytes, bytes));
    }
}
