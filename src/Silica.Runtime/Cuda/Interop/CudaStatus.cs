using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Silica.Runtime.Cuda.Interop;

/// <summary>
/// The one place that turns a status code into a <see cref="CudaException"/> with the library's own error string.
/// Every library reports success as 0, so the check is inline and the formatting is out of line.
/// </summary>
internal static unsafe class CudaStatus
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Check(string library, string function, int code)
    {
        if (code != 0)
        {
            Throw(library, function, code);
        }
    }

    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static void Throw(string library, string function, int code) =>
        throw new CudaException(library, code, $"{library}: {function} failed: {Describe(library, code)} ({code})");

    /// <summary>The library's name and text for a status code; never throws (the library may be half gone).</summary>
    public static string Describe(string library, int code)
    {
        try
        {
            return library switch
            {
                "cuda" => DescribeDriver(code),
                "nvrtc" => Text(library, "nvrtcGetErrorString", code),
                "cublasLt" => Text(library, "cublasLtGetStatusName", code) + ": " + Text(library, "cublasLtGetStatusString", code),
                "cublas" => Text(library, "cublasGetStatusName", code) + ": " + Text(library, "cublasGetStatusString", code),
                "cudnn" => Text(library, "cudnnGetErrorString", code),
                "nvml" => Text(library, "nvmlErrorString", code),
                _ => "status " + code,
            } ?? "status " + code;
        }
#pragma warning disable CA1031 // a description must never hide the original failure
        catch (Exception)
#pragma warning restore CA1031
        {
            return "status " + code;
        }
    }

    private static string DescribeDriver(int code)
    {
        if (!CudaLibraries.TryGetLoadedSymbol("cuda", "cuGetErrorName", out var nameFn)
            || !CudaLibraries.TryGetLoadedSymbol("cuda", "cuGetErrorString", out var textFn))
        {
            return "status " + code;
        }
        byte* name = null, text = null;
        var getName = (delegate* unmanaged<int, byte**, int>)nameFn;
        var getText = (delegate* unmanaged<int, byte**, int>)textFn;
        var nameOk = getName(code, &name) == 0 && name != null;
        var textOk = getText(code, &text) == 0 && text != null;
        return (nameOk, textOk) switch
        {
            (true, true) => Marshal.PtrToStringUTF8((IntPtr)name) + ": " + Marshal.PtrToStringUTF8((IntPtr)text),
            (true, false) => Marshal.PtrToStringUTF8((IntPtr)name)!,
            _ => "unknown CUresult",
        };
    }

    // All of these have the shape `const char* f(int status)`.
    private static string Text(string library, string function, int code)
    {
        if (!CudaLibraries.TryGetLoadedSymbol(library, function, out var fn))
        {
            return "status " + code;
        }
        var text = ((delegate* unmanaged<int, byte*>)fn)(code);
        return text == null ? "status " + code : Marshal.PtrToStringUTF8((IntPtr)text)!;
    }
}
