using System.Text.Json;

namespace Silica.FunctionalTests.Cli;

public sealed class CompareCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("silica-compare-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task Compare_NoModel_DefaultRun_ListsFifteenInstancesAcrossClasses_WritesJsonAndHtml()
    {
        var r = await CliRunner.RunAsync("compare", "--out", _dir);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("zoo:resnet50", r.StdOut, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "results.json")));
        var rows = doc.RootElement.GetProperty("deployments").EnumerateArray().ToList();
        var instances = rows.Select(d => d.GetProperty("instanceId").GetString()).Distinct().ToList();
        Assert.True(instances.Count >= 15, $"{instances.Count} instances");
        var classes = rows.Select(d => d.GetProperty("deviceClass").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "cpu", "gpu", "inferentia", "trainium", "tpu" }, classes);
        Assert.All(rows, d => Assert.Contains(d.GetProperty("basis").GetString(), new[] { "measured", "predicted" }));
        Assert.Contains(rows, d => d.GetProperty("basis").GetString() == "measured");
        var html = File.ReadAllText(Path.Combine(_dir, "report.html"));
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        Assert.Contains("inf2.xlarge", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_SmallModelWithClaim_PrintsVerdict()
    {
        var r = await CliRunner.RunAsync("compare", "zoo:mlp", "--targets", "inf2,g5,local", "--measure-budget", "2s", "--qps", "1000",
            "--slo-p99", "20ms", "--claim", "inf2 halves cost vs g5", "--out", _dir);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Matches("claim \"inf2 halves cost vs g5\": (YES|NO|UNCERTAIN)", r.StdOut);
        Assert.Contains("measured", r.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--targets", "nosuch")]
    [InlineData("--slo-p99", "0ms")]
    [InlineData("--slo-p99", "fast")]
    [InlineData("--qps", "-5")]
    [InlineData("--precision", "fp7")]
    [InlineData("--claim", "inf2 is great")]
    [InlineData("--catalog", "/nonexistent/catalog.json")]
    public async Task Compare_BadInput_OneLineError(string flag, string value)
    {
        var r = await CliRunner.RunAsync("compare", "zoo:mlp", "--measure-budget", "0s", "--out", _dir, flag, value);
        CliRunner.AssertOneLineError(r);
        Assert.False(File.Exists(Path.Combine(_dir, "results.json")));
    }

    [Fact]
    public async Task Compare_ImpossibleSlo_OneLineErrorNamingIt()
    {
        var r = await CliRunner.RunAsync("compare", "zoo:resnet50", "--measure-budget", "0s", "--slo-p99", "10us", "--out", _dir);
        CliRunner.AssertOneLineError(r);
        Assert.Contains("p99 <= 0.01 ms", r.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "results.json")));
    }

    [Fact]
    public async Task Compare_MalformedCatalog_OneLineErrorNamingTheFile()
    {
        var bad = Path.Combine(_dir, "bad.json");
        File.WriteAllText(bad, "{ \"devices\": [ { \"id\": 5 } ] ");
        var r = await CliRunner.RunAsync("compare", "zoo:mlp", "--measure-budget", "0s", "--out", _dir, "--catalog", bad);
        CliRunner.AssertOneLineError(r);
        Assert.Contains("bad.json", r.StdErr, StringComparison.Ordinal);
    }
}
