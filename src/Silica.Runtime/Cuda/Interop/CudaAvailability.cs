namespace Silica.Runtime.Cuda.Interop;

/// <summary>Whether this process can use a CUDA GPU, and if not, why, in one line.</summary>
internal static class CudaAvailability
{
    public static bool TryProbe(out string reason, out GpuDescription? gpu)
    {
        gpu = null;
        try
        {
            if (!CudaLibraries.TryLoad(CudaDriver.Library, out _, out var why))
            {
                reason = $"no NVIDIA driver (libcuda.so.1 not found; {why})";
                return false;
            }
            var driver = CudaDriver.Instance;
            if (driver.DeviceCount == 0)
            {
                reason = "no CUDA device";
                return false;
            }
            gpu = driver.Describe(0);
            reason = $"{gpu.Name} (sm_{gpu.Major}{gpu.Minor}, {gpu.TotalMemoryBytes >> 20} MiB, {gpu.DriverVersion})";
            return true;
        }
        catch (CudaException e) when (e.Status == CuResult.ErrorNoDevice)
        {
            reason = "no CUDA device";
            return false;
        }
#pragma warning disable CA1031 // a probe reports every failure as a reason
        catch (Exception e)
#pragma warning restore CA1031
        {
            reason = "CUDA unusable: " + e.Message.ReplaceLineEndings(" ");
            return false;
        }
    }
}
