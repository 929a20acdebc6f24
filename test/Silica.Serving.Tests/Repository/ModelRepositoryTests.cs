using Silica.Serving.Core;
using Silica.Serving.Repository;
using Silica.Serving.Tests.Hosting;

namespace Silica.Serving.Tests.Repository;

public sealed class ModelRepositoryTests : IDisposable
{
    private readonly TempRepository _repo = new();
    private readonly string _outside = Path.Combine(Path.GetTempPath(), "silica-outside-" + Guid.NewGuid().ToString("N"));

    public ModelRepositoryTests() => Directory.CreateDirectory(_outside);

    public void Dispose()
    {
        _repo.Dispose();
        Directory.Delete(_outside, recursive: true);
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../etc")]
    [InlineData("%2e%2e")]
    [InlineData("%2e%2e%2fetc")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("/etc/passwd")]
    [InlineData("a\0b")]
    [InlineData("a\nb")]
    [InlineData("a..b")]
    [InlineData(".hidden")]
    [InlineData("")]
    [InlineData("ｍlp")] // fullwidth m
    [InlineData("mlp\u200b")] // zero-width space
    [InlineData("e\u0301")] // combining accent
    public void Find_BadName_ThrowsInvalidRequestBeforeFileAccess(string name)
    {
        // A folder literally called "%2e%2e" exists: the name is still refused, so the check precedes any lookup.
        Directory.CreateDirectory(Path.Combine(_repo.Root, "%2e%2e"));
        var repository = new ModelRepository(_repo.Root);

        var e = Assert.Throws<InvalidRequestException>(() => repository.Find(name));

        Assert.StartsWith("invalid model name", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\0', e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Find_NameTooLong_Refused() =>
        Assert.Throws<InvalidRequestException>(() => new ModelRepository(_repo.Root).Find(new string('a', 129)));

    [Fact]
    public void Find_Unknown_ThrowsNotFound() =>
        Assert.Throws<ModelNotFoundException>(() => new ModelRepository(_repo.Root).Find("nothing-here"));

    [Fact]
    public void Scan_Versions_PositiveIntegersNewestFirst()
    {
        foreach (var v in new[] { 1L, 3, 10 })
        {
            _repo.AddFile("m", v, [1]);
        }
        foreach (var bad in new[] { "abc", "01", "0", "-1" })
        {
            Directory.CreateDirectory(Path.Combine(_repo.Root, "m", bad));
        }
        Directory.CreateDirectory(Path.Combine(_repo.Root, "bad name"));

        var models = new ModelRepository(_repo.Root).Scan();

        var m = Assert.Single(models);
        Assert.Equal("m", m.Name);
        Assert.Equal(new long[] { 10, 3, 1 }, m.Versions.Select(v => v.Version));
        Assert.All(m.Versions, v => Assert.Null(v.Problem));
        Assert.Null(m.ConfigPath);
    }

    [Fact]
    public void Scan_VersionWithoutModelFile_HasProblem()
    {
        Directory.CreateDirectory(Path.Combine(_repo.Root, "m", "1"));

        var v = Assert.Single(new ModelRepository(_repo.Root).Find("m").Versions);

        Assert.Contains("no model.onnx", v.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_ModelFileLinkLeavingRoot_Refused()
    {
        var target = Path.Combine(_outside, "secret.onnx");
        File.WriteAllBytes(target, [1, 2, 3]);
        Directory.CreateDirectory(Path.Combine(_repo.Root, "m", "1"));
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "m", "1", "model.onnx"), target);

        var v = Assert.Single(new ModelRepository(_repo.Root).Find("m").Versions);

        Assert.Contains("outside the repository", v.Problem, StringComparison.Ordinal);
        Assert.DoesNotContain(_outside, v.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_ModelFolderLinkLeavingRoot_Refused()
    {
        Directory.CreateDirectory(Path.Combine(_outside, "1"));
        File.WriteAllBytes(Path.Combine(_outside, "1", "model.onnx"), [1]);
        Directory.CreateSymbolicLink(Path.Combine(_repo.Root, "evil"), _outside);

        var m = Assert.Single(new ModelRepository(_repo.Root).Scan());

        Assert.Equal("evil", m.Name);
        Assert.Contains("outside the repository", m.Problem, StringComparison.Ordinal);
        Assert.Empty(m.Versions);
    }

    [Fact]
    public void Scan_RelativeLinkClimbingOut_Refused()
    {
        File.WriteAllBytes(Path.Combine(_outside, "x.onnx"), [1]);
        Directory.CreateDirectory(Path.Combine(_repo.Root, "m", "1"));
        var relative = Path.GetRelativePath(Path.Combine(_repo.Root, "m", "1"), Path.Combine(_outside, "x.onnx"));
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "m", "1", "model.onnx"), relative);

        var v = Assert.Single(new ModelRepository(_repo.Root).Find("m").Versions);

        Assert.Contains("outside the repository", v.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_LinkInsideRoot_Accepted()
    {
        var real = _repo.AddFile("a", 1, [1]);
        Directory.CreateDirectory(Path.Combine(_repo.Root, "b", "1"));
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "b", "1", "model.onnx"), real);

        var v = Assert.Single(new ModelRepository(_repo.Root).Find("b").Versions);

        Assert.Null(v.Problem);
        Assert.Equal(real, v.ModelPath);
    }

    [Fact]
    public void Scan_ConfigLinkLeavingModelFolder_Refused()
    {
        _repo.AddFile("m", 1, [1]);
        File.WriteAllText(Path.Combine(_outside, "config.json"), "{}");
        File.CreateSymbolicLink(Path.Combine(_repo.Root, "m", "config.json"), Path.Combine(_outside, "config.json"));

        var m = new ModelRepository(_repo.Root).Find("m");

        Assert.Contains("config.json", m.Problem, StringComparison.Ordinal);
        Assert.Null(m.ConfigPath);
    }

    [Fact]
    public void Constructor_MissingRoot_Throws() =>
        Assert.Throws<DirectoryNotFoundException>(() => new ModelRepository(Path.Combine(_outside, "nope")));
}
