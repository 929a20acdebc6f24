using Silica.Runtime.Cuda.Interop;

namespace Silica.Runtime.Tests.Cuda.Interop;

public sealed class CudaLibrariesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("silica-cudalibs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void SearchDirectories_ConfiguredDirsFirst_MissingOnesSkipped()
    {
        var a = Directory.CreateDirectory(Path.Combine(_root, "a")).FullName;
        var b = Directory.CreateDirectory(Path.Combine(_root, "b")).FullName;
        var missing = Path.Combine(_root, "missing");
        var env = new Dictionary<string, string> { [CudaLibraries.DirectoriesVariable] = $"{b}:{missing}:{a}" };

        var dirs = CudaLibraries.SearchDirectories(name => env.GetValueOrDefault(name));

        Assert.Equal([b, a], dirs.Take(2));
        Assert.DoesNotContain(missing, dirs);
        Assert.All(dirs, d => Assert.True(Directory.Exists(d)));
    }

    [Fact]
    public void SearchDirectories_CudaPath_AddsToolkitLibFolders()
    {
        var lib = Directory.CreateDirectory(Path.Combine(_root, "toolkit", "targets", "x86_64-linux", "lib")).FullName;
        var env = new Dictionary<string, string> { ["CUDA_PATH"] = Path.Combine(_root, "toolkit") };

        Assert.Contains(lib, CudaLibraries.SearchDirectories(name => env.GetValueOrDefault(name)));
    }

    [Fact]
    public void Glob_ExpandsStarsNewestNameFirst()
    {
        Directory.CreateDirectory(Path.Combine(_root, "nvidia", "cu12", "lib"));
        Directory.CreateDirectory(Path.Combine(_root, "nvidia", "cu13", "lib"));
        Directory.CreateDirectory(Path.Combine(_root, "nvidia", "nolib"));

        var found = CudaLibraries.Glob(_root + "/nvidia/*/lib").ToList();

        Assert.Equal([Path.Combine(_root, "nvidia", "cu13", "lib"), Path.Combine(_root, "nvidia", "cu12", "lib")], found);
    }

    [Fact]
    public void TryLoad_NotFound_OneLineReasonNamingLibraryAndPlaces()
    {
        var dirs = new[] { Directory.CreateDirectory(Path.Combine(_root, "x")).FullName, Directory.CreateDirectory(Path.Combine(_root, "y")).FullName };

        var ok = CudaLibraries.TryLoad("cudnn", dirs, 0, out var handle, out var reason);

        Assert.False(ok);
        Assert.Equal(IntPtr.Zero, handle);
        Assert.NotNull(reason);
        Assert.DoesNotContain('\n', reason);
        Assert.Contains("libcudnn.so.9", reason, StringComparison.Ordinal);
        Assert.Contains("looked in 2 places", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void TryLoad_BrokenFileInFolder_SaysItExistsButDidNotLoad()
    {
        var dir = Directory.CreateDirectory(Path.Combine(_root, "broken")).FullName;
        File.WriteAllText(Path.Combine(dir, "libnvrtc.so.13"), "not an ELF file");

        var ok = CudaLibraries.TryLoad("nvrtc", [dir], 0, out _, out var reason);

        Assert.False(ok);
        Assert.Contains("exists but did not load", reason, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', reason!);
    }

    [Fact]
    public void TryLoad_UnknownLibrary_Fails()
    {
        Assert.False(CudaLibraries.TryLoad("cufft", out _, out var reason));
        Assert.Contains("cufft", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_Missing_ThrowsDllNotFoundWithOneLine()
    {
        if (CudaLibraries.TryLoad("cudnn", out _, out _))
        {
            return; // a machine with cuDNN has nothing to show here
        }
        var e = Assert.Throws<DllNotFoundException>(() => CudaLibraries.Load("cudnn"));
        Assert.StartsWith("cudnn:", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }
}
