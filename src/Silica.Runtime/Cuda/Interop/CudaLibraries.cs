using System.Runtime.InteropServices;

namespace Silica.Runtime.Cuda.Interop;

/// <summary>
/// Finds and loads the CUDA libraries at run time, so that nothing CUDA is needed to build or to run on a CPU.
/// Libraries stay loaded for the life of the process: handles free through function pointers that must stay valid.
/// </summary>
internal static class CudaLibraries
{
    public const string DirectoriesVariable = "SILICA_CUDA_LIB_DIRS";

    // Newest major first: a CUDA 13 toolkit next to a CUDA 12 wheel should win.
    private static readonly Dictionary<string, string[]> Sonames = new(StringComparer.Ordinal)
    {
        ["cuda"] = ["libcuda.so.1", "libcuda.so"],
        ["nvrtc"] = ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"],
        ["cublasLt"] = ["libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so"],
        ["cublas"] = ["libcublas.so.13", "libcublas.so.12", "libcublas.so"],
        ["cudnn"] = ["libcudnn.so.9", "libcudnn.so"],
        ["nvml"] = ["libnvidia-ml.so.1", "libnvidia-ml.so"],
    };

    // cuDNN 9's libcudnn.so is a shim that opens these by soname; preloading them from the shim's folder lets that
    // succeed when the folder is not on the loader path. Order is dependency order.
    private static readonly string[] CudnnSublibraries =
    [
        "libcudnn_graph.so.9", "libcudnn_engines_runtime_compiled.so.9", "libcudnn_engines_precompiled.so.9",
        "libcudnn_heuristic.so.9", "libcudnn_ops.so.9", "libcudnn_cnn.so.9", "libcudnn_adv.so.9",
    ];

    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, (IntPtr Handle, string From)> Loaded = new(StringComparer.Ordinal);

    /// <summary>The folders searched for CUDA libraries, in order, existing folders only.</summary>
    public static IReadOnlyList<string> SearchDirectories() => SearchDirectories(Environment.GetEnvironmentVariable);

    internal static IReadOnlyList<string> SearchDirectories(Func<string, string?> environment)
    {
        var (explicitDirs, otherDirs) = Candidates(environment);
        return [.. explicitDirs.Concat(otherDirs).Where(Directory.Exists).Distinct(StringComparer.Ordinal)];
    }

    private static (List<string> Explicit, List<string> Other) Candidates(Func<string, string?> environment)
    {
        var explicitDirs = (environment(DirectoriesVariable) ?? "")
            .Split(':', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .ToList();
        var other = new List<string>();
        foreach (var variable in new[] { "CUDA_PATH", "CUDA_HOME" })
        {
            if (environment(variable) is { Length: > 0 } root)
            {
                other.AddRange(ToolkitLibDirs(root));
            }
        }
        foreach (var root in ToolkitRoots())
        {
            other.AddRange(ToolkitLibDirs(root));
        }
        var venv = environment("VIRTUAL_ENV");
        var prefixes = new List<string>();
        if (!string.IsNullOrEmpty(venv))
        {
            prefixes.Add(venv + "/lib/python3*/site-packages");
        }
        prefixes.AddRange(
        [
            "/opt/*/.venv/lib/python3*/site-packages", "/opt/*/venv/lib/python3*/site-packages",
            "/usr/local/lib/python3*/dist-packages", "/usr/local/lib/python3*/site-packages",
            "/usr/lib/python3*/dist-packages", "/usr/lib/python3*/site-packages",
        ]);
        foreach (var prefix in prefixes)
        {
            other.AddRange(Glob(prefix + "/nvidia/*/lib"));
        }
        return (explicitDirs, other);
    }

    private static IEnumerable<string> ToolkitLibDirs(string root) =>
        [Path.Combine(root, "targets", "x86_64-linux", "lib"), Path.Combine(root, "lib64"), Path.Combine(root, "lib")];

    // /usr/local/cuda-13.0 before /usr/local/cuda-12.6, then the unversioned /usr/local/cuda link.
    private static IEnumerable<string> ToolkitRoots()
    {
        var versioned = Glob("/usr/local/cuda-*")
            .Select(dir => (dir, version: Version.TryParse(Path.GetFileName(dir)["cuda-".Length..], out var v) ? v : new Version(0, 0)))
            .OrderByDescending(x => x.version)
            .Select(x => x.dir);
        return versioned.Append("/usr/local/cuda");
    }

    /// <summary>Expands '*' in path segments (folders only), each level sorted descending so newer names come first.</summary>
    internal static IEnumerable<string> Glob(string pattern)
    {
        var segments = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<string> current = ["/"];
        foreach (var segment in segments)
        {
            current = segment.Contains('*', StringComparison.Ordinal)
                ? current.SelectMany(dir => Children(dir, segment))
                : current.Select(dir => Path.Combine(dir, segment)).Where(Directory.Exists);
        }
        return current;
    }

    private static IEnumerable<string> Children(string dir, string pattern)
    {
        try
        {
            return Directory.Exists(dir)
                ? Directory.GetDirectories(dir, pattern).OrderDescending(StringComparer.Ordinal).ToArray()
                : [];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>Loads <paramref name="library"/> ("cuda", "nvrtc", "cublasLt", "cublas", "cudnn", "nvml") or throws with a one-line reason.</summary>
    public static IntPtr Load(string library)
    {
        if (TryLoad(library, out var handle, out var reason))
        {
            return handle;
        }
        throw new DllNotFoundException(reason);
    }

    public static bool TryLoad(string library, out IntPtr handle, out string? reason) =>
        TryLoad(library, SearchDirectories(), ExplicitDirectoryCount(), out handle, out reason);

    private static int ExplicitDirectoryCount() =>
        Candidates(Environment.GetEnvironmentVariable).Explicit.Where(Directory.Exists).Distinct(StringComparer.Ordinal).Count();

    /// <summary>
    /// Tries the folders in order, then the loader's own path (soname only). The driver libraries (cuda, nvml) belong to
    /// the installed kernel driver, so for them the loader path comes right after the explicitly configured folders.
    /// </summary>
    internal static bool TryLoad(string library, IReadOnlyList<string> directories, int explicitCount, out IntPtr handle, out string? reason)
    {
        lock (Gate)
        {
            if (Loaded.TryGetValue(library, out var known))
            {
                (handle, reason) = (known.Handle, null);
                return true;
            }
            if (!Sonames.TryGetValue(library, out var names))
            {
                (handle, reason) = (IntPtr.Zero, $"unknown CUDA library '{library}'");
                return false;
            }
            if (library == "cublas")
            {
                // libcublas needs libcublasLt by soname; once loaded, the loader reuses it from wherever it came.
                TryLoad("cublasLt", directories, explicitCount, out _, out _);
            }
            var driverLibrary = library is "cuda" or "nvml";
            string? failure = null;
            var order = driverLibrary
                ? directories.Take(explicitCount).Append(null).Concat(directories.Skip(explicitCount))
                : directories.Append(null);
            foreach (var dir in order)
            {
                foreach (var name in names)
                {
                    var path = dir is null ? name : Path.Combine(dir, name);
                    if (dir is not null && !File.Exists(path))
                    {
                        continue;
                    }
                    if (dir is not null)
                    {
                        PreloadCompanions(library, dir);
                    }
                    try
                    {
                        handle = NativeLibrary.Load(path);
                        Loaded[library] = (handle, dir ?? name);
                        reason = null;
                        return true;
                    }
                    catch (DllNotFoundException e) when (dir is not null)
                    {
                        failure ??= $"; {path} exists but did not load: {OneLine(e.Message)}";
                    }
                    catch (DllNotFoundException)
                    {
                        // Not on the loader path: the common case on a machine without CUDA.
                    }
                }
            }
            handle = IntPtr.Zero;
            reason = $"{library}: {names[0]} not found (looked in {directories.Count} places"
                + (directories.Count > 0 ? ": " + string.Join(", ", directories) : "")
                + $", then the loader path for {string.Join(", ", names)}){failure}";
            return false;
        }
    }

    private static void PreloadCompanions(string library, string dir)
    {
        IEnumerable<string> companions = library switch
        {
            "cudnn" => CudnnSublibraries.Select(name => Path.Combine(dir, name)),
            // NVRTC opens its builtins library (libnvrtc-builtins.so.13.0) by soname at compile time.
            "nvrtc" => Directory.GetFiles(dir, "libnvrtc-builtins.so.*").OrderDescending(StringComparer.Ordinal),
            _ => [],
        };
        foreach (var path in companions.Where(File.Exists))
        {
            NativeLibrary.TryLoad(path, out _);
        }
    }

    /// <summary>The folder a library was loaded from, or its soname when the loader found it; null when not loaded.</summary>
    public static string? LoadedFrom(string library)
    {
        lock (Gate)
        {
            return Loaded.TryGetValue(library, out var known) ? known.From : null;
        }
    }

    /// <summary>An exported function; for cuDNN also looks in the sub-libraries when the shim lacks it.</summary>
    public static IntPtr Symbol(string library, string name)
    {
        var handle = Load(library);
        if (NativeLibrary.TryGetExport(handle, name, out var address))
        {
            return address;
        }
        if (library == "cudnn" && TryCudnnSublibrarySymbol(name, out address))
        {
            return address;
        }
        throw new EntryPointNotFoundException($"{library}: {name} is not exported by {LoadedFrom(library)}");
    }

    /// <summary>A symbol from an already loaded library, without loading anything; for error descriptions.</summary>
    internal static bool TryGetLoadedSymbol(string library, string name, out IntPtr address)
    {
        IntPtr handle;
        lock (Gate)
        {
            if (!Loaded.TryGetValue(library, out var known))
            {
                address = IntPtr.Zero;
                return false;
            }
            handle = known.Handle;
        }
        return NativeLibrary.TryGetExport(handle, name, out address);
    }

    private static bool TryCudnnSublibrarySymbol(string name, out IntPtr address)
    {
        var from = LoadedFrom("cudnn");
        var dir = from is not null && Path.IsPathRooted(from) ? from : null;
        foreach (var sub in CudnnSublibraries)
        {
            var path = dir is null ? sub : Path.Combine(dir, sub);
            if (NativeLibrary.TryLoad(path, out var handle) && NativeLibrary.TryGetExport(handle, name, out address))
            {
                return true;
            }
        }
        address = IntPtr.Zero;
        return false;
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ").Trim();
}
