using System.Text.Json;

namespace Silica.FunctionalTests.Cli;

public sealed class BenchCommandTests
{
    [Fact]
    public async Task Bench_MlpOfflineSweep_WritesTableAndVersionedJson()
    {
        var json = Path.Combine(Path.GetTempPath(), $"silica-bench-{Guid.NewGuid():N}.json");
        try
        {
            var r = await CliRunner.RunAsync("bench", "zoo:mlp", "--scenario", "offline", "--batch", "1,8", "--threads", "1",
                "--duration", "1s", "--max-duration", "3s", "--warmup", "200ms", "--json", json);
            Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
            Assert.Contains("Measured here", r.StdOut, StringComparison.Ordinal);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var root = doc.RootElement;
            Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
            Assert.Equal("measured", root.GetProperty("basis").GetString());
            var points = root.GetProperty("points");
            Assert.Equal(2, points.GetArrayLength());
            foreach (var p in points.EnumerateArray())
            {
                Assert.True(p.GetProperty("result").GetProperty("throughput").GetProperty("samplesPerSecond").GetDouble() > 0);
                Assert.Contains(p.GetProperty("energy").GetProperty("source").GetString(), new[] { "measured", "estimated" });
            }
            Assert.Equal(64, root.GetProperty("model").GetProperty("sha256").GetString()!.Length);
            Assert.False(string.IsNullOrEmpty(root.GetProperty("environment").GetProperty("onnxRuntimeVersion").GetString()));
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public async Task Bench_ServerBehindBatcher_ReportsBoundVerdictAndAverageBatch()
    {
        var r = await CliRunner.RunAsync("bench", "zoo:mlp", "--scenario", "server", "--qps", "200", "--latency-bound", "50ms",
            "--batching", "max=8,delay=2ms", "--duration", "2s", "--max-duration", "4s", "--warmup", "200ms", "--threads", "1");
        Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
        Assert.Contains("p99 bound", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("avg batch", r.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bench", "zoo:mlp", "--scenario", "nonsense")]
    [InlineData("bench", "zoo:mlp", "--batch", "0")]
    [InlineData("bench", "zoo:mlp", "--batch", "1,x")]
    [InlineData("bench", "zoo:mlp", "--scenario", "server")]
    [InlineData("bench", "zoo:mlp", "--batching", "max=0")]
    [InlineData("bench", "zoo:mlp", "--batching", "speed=fast")]
    [InlineData("bench", "zoo:mlp", "--bind", "batch=2")]
    [InlineData("bench", "zoo:mlp", "--backend", "cuda")]
    [InlineData("bench", "zoo:mlp", "--duration", "soon")]
    [InlineData("bench", "no-such-file.onnx")]
    public async Task Bench_BadArguments_OneLineErrorExitCodeTwo(params string[] args)
    {
        CliRunner.AssertOneLineError(await CliRunner.RunAsync(args));
    }
}
