using System.Text.Json;
using Silica.Benchmarking.Tests.Remote;
using Silica.Serving.Tests.Grpc;

namespace Silica.FunctionalTests.Cli;

/// <summary><c>silica bench --url</c> as a user runs it, against a real Kestrel serving zoo:mlp in this process.</summary>
public sealed class BenchRemoteCommandTests : IAsyncLifetime
{
    private readonly CpuInferenceServer _server = new();
    private RestTestHost? _host;

    public async Task InitializeAsync() => _host = await RestTestHost.StartAsync(_server);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        _server.Dispose();
    }

    [Theory]
    [InlineData("json")]
    [InlineData("binary")]
    [InlineData("grpc")]
    public async Task BenchUrl_ClosedLoop_PrintsTableAndWritesJson(string protocol)
    {
        var json = Path.Combine(Path.GetTempPath(), $"silica-bench-remote-{Guid.NewGuid():N}.json");
        try
        {
            var url = (protocol == "grpc" ? _host!.GrpcAddress : _host!.RestAddress).ToString();
            var r = await CliRunner.RunAsync("bench", "--url", url, "--model", "mlp", "--protocol", protocol, "--scenario", "concurrency",
                "--concurrency", "2", "--batch", "1,2", "--duration", "300ms", "--max-duration", "600ms", "--warmup", "100ms",
                "--min-queries", "5", "--no-stability", "--json", json);

            Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
            Assert.Contains("Measured from this client", r.StdOut, StringComparison.Ordinal);
            Assert.Contains($"remote {protocol}", r.StdOut, StringComparison.Ordinal);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var points = doc.RootElement.GetProperty("points");
            Assert.Equal(2, points.GetArrayLength());
            foreach (var p in points.EnumerateArray())
            {
                var result = p.GetProperty("result");
                Assert.True(result.GetProperty("counts").GetProperty("completed").GetInt64() >= 5);
                Assert.Equal(0, result.GetProperty("counts").GetProperty("failed").GetInt64());
                Assert.Equal("not measured", p.GetProperty("energy").GetProperty("source").GetString());
            }
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Theory]
    [InlineData("--url", "http://127.0.0.1:8000")]
    [InlineData("--model", "mlp")]
    [InlineData("--url", "ftp://127.0.0.1", "--model", "mlp")]
    [InlineData("--url", "http://127.0.0.1:8000", "--model", "mlp", "--protocol", "smoke")]
    [InlineData("--url", "http://127.0.0.1:8000", "--model", "mlp", "--threads", "2")]
    [InlineData("zoo:mlp", "--url", "http://127.0.0.1:8000", "--model", "mlp")]
    [InlineData("--url", "http://127.0.0.1:1", "--model", "mlp")]
    public async Task BenchUrl_BadArguments_OneLineErrorExitCodeTwo(params string[] args)
    {
        CliRunner.AssertOneLineError(await CliRunner.RunAsync(["bench", .. args]));
    }

    [Fact]
    public async Task BenchUrl_UnknownModel_OneLineErrorWithTheServersMessage()
    {
        var r = await CliRunner.RunAsync("bench", "--url", _host!.RestAddress.ToString(), "--model", "nope");

        CliRunner.AssertOneLineError(r);
        Assert.Contains("unknown model 'nope'", r.StdErr, StringComparison.Ordinal);
    }
}
