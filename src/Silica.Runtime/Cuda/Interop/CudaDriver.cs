using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Silica.Runtime.Cuda.Interop;

/// <summary>
/// The CUDA driver API (libcuda), loaded and initialised (<c>cuInit(0)</c>) on first use. Also tracks the primary
/// context that <see cref="CudaContext"/> retained, and makes it current on whatever thread calls in: the driver API
/// binds contexts per thread, and async continuations and finalizers run on other threads.
/// </summary>
internal sealed unsafe partial class CudaDriver
{
    public const string Library = "cuda";

    private static readonly Lock InitGate = new();
    private static CudaDriver? _instance;

    [ThreadStatic]
    private static IntPtr _threadContext;

    private IntPtr _context;

    /// <summary>The driver; throws <see cref="DllNotFoundException"/> or <see cref="CudaException"/> when there is none.</summary>
    public static CudaDriver Instance => Volatile.Read(ref _instance) ?? Initialize();

    private static CudaDriver Initialize()
    {
        lock (InitGate)
        {
            if (_instance is null)
            {
                var driver = new CudaDriver();
                CudaStatus.Check(Library, "cuInit", driver.cuInit(0));
                Volatile.Write(ref _instance, driver);
            }
            return _instance;
        }
    }

    public int DeviceCount
    {
        get
        {
            int count;
            CudaStatus.Check(Library, "cuDeviceGetCount", cuDeviceGetCount(&count));
            return count;
        }
    }

    /// <summary>Name, compute capability, memory and SM count of a device, and the driver version.</summary>
    public GpuDescription Describe(int ordinal)
    {
        int device;
        CudaStatus.Check(Library, "cuDeviceGet", cuDeviceGet(&device, ordinal));
        var name = stackalloc byte[256];
        CudaStatus.Check(Library, "cuDeviceGetName", cuDeviceGetName(name, 256, device));
        nuint total;
        CudaStatus.Check(Library, "cuDeviceTotalMem_v2", cuDeviceTotalMem_v2(&total, device));
        int version;
        CudaStatus.Check(Library, "cuDriverGetVersion", cuDriverGetVersion(&version));
        var cuda = $"CUDA {version / 1000}.{version % 1000 / 10}";
        var driver = Nvml.TryReadDriverVersion() is { } nvml ? $"{nvml} ({cuda})" : cuda;
        return new GpuDescription(
            Marshal.PtrToStringUTF8((IntPtr)name) ?? "",
            Attribute(device, CuDeviceAttribute.ComputeCapabilityMajor),
            Attribute(device, CuDeviceAttribute.ComputeCapabilityMinor),
            (long)total,
            Attribute(device, CuDeviceAttribute.MultiprocessorCount),
            driver);
    }

    public int Attribute(int device, CuDeviceAttribute attribute)
    {
        int value;
        CudaStatus.Check(Library, "cuDeviceGetAttribute", cuDeviceGetAttribute(&value, (int)attribute, device));
        return value;
    }

    /// <summary>Set by <see cref="CudaContext"/>; zero when no context is open.</summary>
    internal IntPtr Context
    {
        get => _context;
        set
        {
            _context = value;
            _threadContext = IntPtr.Zero;
        }
    }

    /// <summary>Makes the open context current on this thread if it is not already (one thread-static compare when it is).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void EnsureCurrent()
    {
        var context = _context;
        if (context != _threadContext && context != IntPtr.Zero)
        {
            Bind(context);
        }
    }

    private void Bind(IntPtr context)
    {
        CudaStatus.Check(Library, "cuCtxSetCurrent", cuCtxSetCurrent(context));
        _threadContext = context;
    }

    /// <summary>For ReleaseHandle: make the context current and report whether the driver is still usable; never throws.</summary>
    internal static bool TryEnterForRelease()
    {
        var driver = Volatile.Read(ref _instance);
        if (driver is null)
        {
            return false;
        }
        var context = driver._context;
        if (context != IntPtr.Zero && context != _threadContext)
        {
            if (driver.cuCtxSetCurrent(context) != 0)
            {
                return false;
            }
            _threadContext = context;
        }
        return true;
    }

    internal static CudaDriver? Loaded => Volatile.Read(ref _instance);
}
