using System.Runtime.InteropServices;

namespace Silica.Runtime.Cuda.Interop;

/// <summary>
/// NVML (libnvidia-ml) for device 0: board power, energy counter, memory. Signatures from nvml.h (CUDA 12.6):
/// nvmlInit is nvmlInit_v2 and nvmlDeviceGetHandleByIndex is _v2; nvmlReturn_t NVML_SUCCESS = 0, NOT_SUPPORTED = 3.
/// </summary>
internal sealed unsafe class Nvml : IDisposable
{
    private const string Library = "nvml";
    private const int NotSupported = 3; // NVML_ERROR_NOT_SUPPORTED

    private readonly IntPtr _device;
    private readonly delegate* unmanaged<int> _shutdown;
    private readonly delegate* unmanaged<IntPtr, uint*, int> _getPowerUsage;
    private readonly delegate* unmanaged<IntPtr, ulong*, int> _getTotalEnergy;
    private readonly delegate* unmanaged<IntPtr, byte*, uint, int> _getName;
    private readonly delegate* unmanaged<IntPtr, NvmlMemory*, int> _getMemoryInfo;
    private bool _disposed;

    // nvmlMemory_t: total, free, used (unsigned long long each).
    [StructLayout(LayoutKind.Sequential)]
    private struct NvmlMemory
    {
        public ulong Total;
        public ulong Free;
        public ulong Used;
    }

    private Nvml(IntPtr device)
    {
        _device = device;
        _shutdown = (delegate* unmanaged<int>)CudaLibraries.Symbol(Library, "nvmlShutdown");
        _getPowerUsage = (delegate* unmanaged<IntPtr, uint*, int>)CudaLibraries.Symbol(Library, "nvmlDeviceGetPowerUsage");
        _getTotalEnergy = (delegate* unmanaged<IntPtr, ulong*, int>)CudaLibraries.Symbol(Library, "nvmlDeviceGetTotalEnergyConsumption");
        _getName = (delegate* unmanaged<IntPtr, byte*, uint, int>)CudaLibraries.Symbol(Library, "nvmlDeviceGetName");
        _getMemoryInfo = (delegate* unmanaged<IntPtr, NvmlMemory*, int>)CudaLibraries.Symbol(Library, "nvmlDeviceGetMemoryInfo");
    }

    /// <summary>Initialises NVML and takes device 0; false with a one-line reason when there is no NVML or no device.</summary>
    public static bool TryOpen(out Nvml? nvml, out string? reason)
    {
        nvml = null;
        try
        {
            if (!CudaLibraries.TryLoad(Library, out _, out reason))
            {
                return false;
            }
            var init = (delegate* unmanaged<int>)CudaLibraries.Symbol(Library, "nvmlInit_v2");
            var code = init();
            if (code != 0)
            {
                reason = $"nvml: nvmlInit_v2 failed: {CudaStatus.Describe(Library, code)} ({code})";
                return false;
            }
            var getHandle = (delegate* unmanaged<uint, IntPtr*, int>)CudaLibraries.Symbol(Library, "nvmlDeviceGetHandleByIndex_v2");
            IntPtr device;
            code = getHandle(0, &device);
            if (code != 0)
            {
                reason = $"nvml: nvmlDeviceGetHandleByIndex_v2 failed: {CudaStatus.Describe(Library, code)} ({code})";
                _ = ((delegate* unmanaged<int>)CudaLibraries.Symbol(Library, "nvmlShutdown"))();
                return false;
            }
            nvml = new Nvml(device);
            reason = null;
            return true;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            reason = e.Message;
            return false;
        }
    }

    /// <summary>The installed driver's version ("580.82.07"), or null without NVML; never throws.</summary>
    internal static string? TryReadDriverVersion()
    {
        try
        {
            if (!TryOpen(out var nvml, out _))
            {
                return null;
            }
            using (nvml)
            {
                var get = (delegate* unmanaged<byte*, uint, int>)CudaLibraries.Symbol(Library, "nvmlSystemGetDriverVersion");
                var buffer = stackalloc byte[96];
                return get(buffer, 96) == 0 ? Marshal.PtrToStringUTF8((IntPtr)buffer) : null;
            }
        }
#pragma warning disable CA1031 // optional detail
        catch (Exception)
#pragma warning restore CA1031
        {
            return null;
        }
    }

    /// <summary>Board power draw now (nvmlDeviceGetPowerUsage, milliwatts).</summary>
    public uint PowerMilliwatts()
    {
        uint mw;
        CudaStatus.Check(Library, "nvmlDeviceGetPowerUsage", _getPowerUsage(_device, &mw));
        return mw;
    }

    /// <summary>Energy since the driver loaded (Volta and later), or null where the board does not count it.</summary>
    public ulong? TotalEnergyMillijoules()
    {
        ulong mj;
        var code = _getTotalEnergy(_device, &mj);
        if (code == NotSupported)
        {
            return null;
        }
        CudaStatus.Check(Library, "nvmlDeviceGetTotalEnergyConsumption", code);
        return mj;
    }

    public string DeviceName()
    {
        var buffer = stackalloc byte[256];
        CudaStatus.Check(Library, "nvmlDeviceGetName", _getName(_device, buffer, 256));
        return Marshal.PtrToStringUTF8((IntPtr)buffer) ?? "";
    }

    public (ulong used, ulong total) Memory()
    {
        NvmlMemory memory;
        CudaStatus.Check(Library, "nvmlDeviceGetMemoryInfo", _getMemoryInfo(_device, &memory));
        return (memory.Used, memory.Total);
    }

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _ = _shutdown();
        }
    }
}
