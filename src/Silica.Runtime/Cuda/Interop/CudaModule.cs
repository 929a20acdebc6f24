using System.Runtime.InteropServices;
using System.Text;

namespace Silica.Runtime.Cuda.Interop;

/// <summary>A loaded cubin or PTX image (<c>cuModuleLoadData</c>); the driver JIT-compiles PTX for the device.</summary>
internal sealed unsafe class CudaModule : SafeHandle
{
    private CudaModule(IntPtr module)
        : base(IntPtr.Zero, ownsHandle: true) => SetHandle(module);

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Loads a cubin (ELF) or PTX text; PTX is NUL-terminated here if it is not already.</summary>
    public static CudaModule Load(byte[] image)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (image.Length == 0)
        {
            throw new ArgumentException("empty module image", nameof(image));
        }
        var isElf = image.Length >= 4 && image[0] == 0x7F && image[1] == (byte)'E' && image[2] == (byte)'L' && image[3] == (byte)'F';
        if (!isElf && image[^1] != 0)
        {
            image = [.. image, 0];
        }
        var driver = CudaDriver.Instance;
        driver.EnsureCurrent();
        IntPtr module;
        fixed (byte* p = image)
        {
            CudaStatus.Check(CudaDriver.Library, "cuModuleLoadData", driver.cuModuleLoadData(&module, p));
        }
        return new CudaModule(module);
    }

    /// <summary>An <c>extern "C" __global__</c> function; valid while this module is alive.</summary>
    public CudaFunction GetFunction(string name)
    {
        var driver = CudaDriver.Instance;
        driver.EnsureCurrent();
        var utf8 = Encoding.UTF8.GetBytes(name + "\0");
        IntPtr function;
        fixed (byte* p = utf8)
        {
            var code = driver.cuModuleGetFunction(&function, handle, p);
            if (code != 0)
            {
                CudaStatus.Throw(CudaDriver.Library, $"cuModuleGetFunction({name})", code);
            }
        }
        return new CudaFunction(function);
    }

    protected override bool ReleaseHandle()
    {
        if (CudaDriver.TryEnterForRelease())
        {
            _ = CudaDriver.Loaded!.cuModuleUnload(handle);
        }
        return true;
    }
}
