using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Silica.Runtime.Cuda.Interop;

namespace Silica.Runtime.Cuda.Engine;

/// <summary>
/// Compiled kernels by source: in memory per process, and on disk by source hash and architecture so a second process
/// (or a second model with the same layer shapes) skips NVRTC. Distinct sources compile in parallel; NVRTC is thread-safe.
/// </summary>
internal sealed class KernelCache : IDisposable
{
    private readonly ConcurrentDictionary<string, CudaModule> _modules = new(StringComparer.Ordinal);
    private readonly int _major;
    private readonly int _minor;
    private readonly string? _directory;
    private readonly object _loadLock = new();

    public KernelCache(int major, int minor)
    {
        _major = major;
        _minor = minor;
        _directory = CacheDirectory();
    }

    /// <summary>Kernels compiled by NVRTC in this process (the rest came from memory or disk).</summary>
    public int Compiled { get; private set; }

    /// <summary>Kernels read back from the disk cache.</summary>
    public int FromDisk { get; private set; }

    /// <summary>Compiles (or reads from disk) every source not yet loaded, in parallel, then loads the modules.</summary>
    public void Prepare(IEnumerable<string> sources, CudaContext context)
    {
        var missing = sources.Distinct(StringComparer.Ordinal).Where(s => !_modules.ContainsKey(s)).ToList();
        if (missing.Count == 0)
        {
            return;
        }
        var images = new byte[missing.Count][];
        var compiled = 0;
        var fromDisk = 0;
        Parallel.For(0, missing.Count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Environment.ProcessorCount) }, i =>
        {
            var source = missing[i];
            var path = _directory is null ? null : Path.Combine(_directory, $"{Hash(source)}-sm{_major}{_minor}.bin");
            if (path is not null && TryRead(path) is { } cached)
            {
                images[i] = cached;
                Interlocked.Increment(ref fromDisk);
                return;
            }
            var (image, _, _) = Nvrtc.Compile(source, "silica.cu", _major, _minor, []);
            images[i] = image;
            Interlocked.Increment(ref compiled);
            if (path is not null)
            {
                TryWrite(path, image);
            }
        });
        lock (_loadLock)
        {
            context.MakeCurrent();
            for (var i = 0; i < missing.Count; i++)
            {
                if (!_modules.ContainsKey(missing[i]))
                {
                    _modules[missing[i]] = CudaModule.Load(images[i]);
                }
            }
            Compiled += compiled;
            FromDisk += fromDisk;
        }
    }

    public CudaFunction Function(string source, string entry) =>
        _modules.TryGetValue(source, out var module)
            ? module.GetFunction(entry)
            : throw new InvalidOperationException($"kernel '{entry}' was not prepared");

    public void Dispose()
    {
        foreach (var m in _modules.Values)
        {
            m.Dispose();
        }
        _modules.Clear();
    }

    private static string Hash(string source) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(source)))[..32];

    // $SILICA_KERNEL_CACHE, else $XDG_CACHE_HOME/silica/kernels, else ~/.cache/silica/kernels; null (memory only) when unusable.
    private static string? CacheDirectory()
    {
        try
        {
            var dir = Environment.GetEnvironmentVariable("SILICA_KERNEL_CACHE");
            if (string.IsNullOrEmpty(dir))
            {
                var root = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
                if (string.IsNullOrEmpty(root))
                {
                    var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
                    if (string.IsNullOrEmpty(home))
                    {
                        return null;
                    }
                    root = Path.Combine(home, ".cache");
                }
                dir = Path.Combine(root, "silica", "kernels");
            }
            Directory.CreateDirectory(dir);
            return dir;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static byte[]? TryRead(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllBytes(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    // Write to a temporary name and rename, so a concurrent reader never sees half a file.
    private static void TryWrite(string path, byte[] image)
    {
        try
        {
            var temp = path + "." + Environment.ProcessId + "." + Environment.CurrentManagedThreadId + ".tmp";
            File.WriteAllBytes(temp, image);
            File.Move(temp, path, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The cache is an optimisation; a read-only home is fine.
        }
    }
}
