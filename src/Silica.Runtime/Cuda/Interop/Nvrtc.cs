using System.Runtime.InteropServices;
using System.Text;

namespace Silica.Runtime.Cuda.Interop;

/// <summary>
/// NVRTC: CUDA C++ source to cubin (or PTX when NVRTC is older than the device). Signatures from nvrtc.h (CUDA 12.6);
/// nvrtcResult NVRTC_SUCCESS = 0, NVRTC_ERROR_COMPILATION = 6.
/// </summary>
internal static unsafe class Nvrtc
{
    private const string Library = "nvrtc";
    private const int ErrorCompilation = 6;
    private const int LogLinesInError = 20;

    public static (int Major, int Minor) Version()
    {
        var version = (delegate* unmanaged<int*, int*, int>)CudaLibraries.Symbol(Library, "nvrtcVersion");
        int major, minor;
        CudaStatus.Check(Library, "nvrtcVersion", version(&major, &minor));
        return (major, minor);
    }

    /// <summary>The real architectures this NVRTC can emit cubins for (e.g. 75, 80, 86, 89, 90, 100, 120).</summary>
    public static int[] SupportedArchitectures()
    {
        var count = (delegate* unmanaged<int*, int>)CudaLibraries.Symbol(Library, "nvrtcGetNumSupportedArchs");
        var list = (delegate* unmanaged<int*, int>)CudaLibraries.Symbol(Library, "nvrtcGetSupportedArchs");
        int n;
        CudaStatus.Check(Library, "nvrtcGetNumSupportedArchs", count(&n));
        var archs = new int[n];
        fixed (int* p = archs)
        {
            CudaStatus.Check(Library, "nvrtcGetSupportedArchs", list(p));
        }
        return archs;
    }

    /// <summary>
    /// Compiles one translation unit for compute capability <paramref name="major"/>.<paramref name="minor"/>.
    /// A compile error throws <see cref="CudaException"/> carrying the first lines of the log.
    /// </summary>
    public static (byte[] Image, bool IsCubin, string Log) Compile(string source, string name, int major, int minor, IReadOnlyList<string> extraOptions)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(extraOptions);
        var (architecture, isCubin) = ChooseArchitecture(major * 10 + minor, SupportedArchitectures());
        var options = new List<string> { "--gpu-architecture=" + architecture, "-std=c++17" };
        if (IncludeDirectory() is { } include)
        {
            options.Add("-I" + include);
        }
        options.AddRange(extraOptions);

        var create = (delegate* unmanaged<IntPtr*, byte*, byte*, int, byte**, byte**, int>)CudaLibraries.Symbol(Library, "nvrtcCreateProgram");
        var compile = (delegate* unmanaged<IntPtr, int, byte**, int>)CudaLibraries.Symbol(Library, "nvrtcCompileProgram");
        var destroy = (delegate* unmanaged<IntPtr*, int>)CudaLibraries.Symbol(Library, "nvrtcDestroyProgram");

        IntPtr program;
        fixed (byte* src = Utf8(source))
        fixed (byte* n = Utf8(name))
        {
            CudaStatus.Check(Library, "nvrtcCreateProgram", create(&program, src, n, 0, null, null));
        }
        try
        {
            var code = CompileWithOptions(compile, program, options);
            var log = Log(program);
            if (code != 0)
            {
                var head = string.Join(" | ", log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Take(LogLinesInError));
                var what = code == ErrorCompilation ? "compile error" : CudaStatus.Describe(Library, code);
                throw new CudaException(Library, code, $"{Library}: nvrtcCompileProgram failed for {name} ({architecture}): {what} ({code}): {head}");
            }
            var image = isCubin
                ? Output(program, "nvrtcGetCUBINSize", "nvrtcGetCUBIN")
                : Output(program, "nvrtcGetPTXSize", "nvrtcGetPTX"); // PTX size includes the terminating NUL
            return (image, isCubin, log);
        }
        finally
        {
            _ = destroy(&program);
        }
    }

    /// <summary>sm_XX when NVRTC knows the device; otherwise PTX for the newest virtual architecture not above it.</summary>
    internal static (string Architecture, bool IsCubin) ChooseArchitecture(int device, IReadOnlyList<int> supported)
    {
        if (supported.Contains(device))
        {
            return ($"sm_{device}", true);
        }
        var older = supported.Where(a => a <= device).DefaultIfEmpty(supported.Count > 0 ? supported.Min() : device).Max();
        return ($"compute_{older}", false);
    }

    private static int CompileWithOptions(delegate* unmanaged<IntPtr, int, byte**, int> compile, IntPtr program, List<string> options)
    {
        var handles = options.Select(o => GCHandle.Alloc(Utf8(o), GCHandleType.Pinned)).ToArray();
        try
        {
            var pointers = stackalloc byte*[handles.Length];
            for (var i = 0; i < handles.Length; i++)
            {
                pointers[i] = (byte*)handles[i].AddrOfPinnedObject();
            }
            return compile(program, handles.Length, pointers);
        }
        finally
        {
            foreach (var h in handles)
            {
                h.Free();
            }
        }
    }

    private static string Log(IntPtr program)
    {
        var size = (delegate* unmanaged<IntPtr, nuint*, int>)CudaLibraries.Symbol(Library, "nvrtcGetProgramLogSize");
        var get = (delegate* unmanaged<IntPtr, byte*, int>)CudaLibraries.Symbol(Library, "nvrtcGetProgramLog");
        nuint length;
        if (size(program, &length) != 0 || length <= 1)
        {
            return "";
        }
        var buffer = new byte[(int)length];
        fixed (byte* p = buffer)
        {
            if (get(program, p) != 0)
            {
                return "";
            }
        }
        return Encoding.UTF8.GetString(buffer, 0, buffer.Length - 1);
    }

    private static byte[] Output(IntPtr program, string sizeFunction, string getFunction)
    {
        var size = (delegate* unmanaged<IntPtr, nuint*, int>)CudaLibraries.Symbol(Library, sizeFunction);
        var get = (delegate* unmanaged<IntPtr, byte*, int>)CudaLibraries.Symbol(Library, getFunction);
        nuint length;
        CudaStatus.Check(Library, sizeFunction, size(program, &length));
        var image = new byte[(int)length];
        fixed (byte* p = image)
        {
            CudaStatus.Check(Library, getFunction, get(program, p));
        }
        return image;
    }

    /// <summary>
    /// The CUDA include folder (the one holding cuda_fp16.h) next to the loaded NVRTC: …/lib → …/include, which fits
    /// both the toolkit (targets/x86_64-linux/lib) and the pip wheels (nvidia/cu13/lib). Null when there is none.
    /// </summary>
    internal static string? IncludeDirectory()
    {
        var from = CudaLibraries.LoadedFrom(Library);
        var dirs = from is not null && Path.IsPathRooted(from) ? [from] : CudaLibraries.SearchDirectories();
        foreach (var dir in dirs)
        {
            foreach (var candidate in new[] { Path.Combine(dir, "..", "include"), Path.Combine(dir, "..", "..", "include") })
            {
                if (File.Exists(Path.Combine(candidate, "cuda_fp16.h")))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }
        return null;
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text + "\0");
}
