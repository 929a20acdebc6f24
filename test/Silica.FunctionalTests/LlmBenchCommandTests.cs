using System.Text.Json;
using Silica.FunctionalTests.Cli;

namespace Silica.FunctionalTests;

/// <summary><c>silica bench --llm</c> in process against the zoo's tiny Llama, as a user runs it.</summary>
public sealed class LlmBenchCommandTests
{
    [Fact]
    public async Task BenchLlm_InProcess_PrintsPercentilesAndWritesJson()
    {
        var json = Path.Combine(Path.GetTempPath(), $"silica-bench-llm-{Guid.NewGuid():N}.json");
        try
        {
            var r = await CliRunner.RunAsync("bench", "--llm", "zoo:llama-tiny", "--qps", "8", "--requests", "12", "--prompt-len", "uniform:8-32",
                "--output-len", "fixed:8", "--slo-ttft", "2s", "--slo-tpot", "500ms", "--json", json);

            Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
            Assert.Contains("output tokens/s", r.StdOut, StringComparison.Ordinal);
            Assert.Contains("goodput under TTFT", r.StdOut, StringComparison.Ordinal);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var root = doc.RootElement;
            Assert.Equal(1, root.GetProperty("schemaVersion").GetInt32());
            Assert.Contains("llama-tiny", root.GetProperty("target").GetString(), StringComparison.Ordinal);
            var results = root.GetProperty("results");
            Assert.Equal(12, results.GetProperty("completed").GetInt32());
            Assert.Equal(12 * 8, results.GetProperty("outputTokens").GetInt64());
            Assert.InRange(results.GetProperty("promptTokens").GetInt64(), 12 * 8, 12 * 32);
            var ttft = results.GetProperty("timeToFirstToken");
            Assert.True(ttft.GetProperty("p50Us").GetDouble() <= ttft.GetProperty("p99Us").GetDouble());
            Assert.Equal(12, results.GetProperty("timePerOutputToken").GetProperty("count").GetInt64());
            Assert.True(results.GetProperty("interTokenLatency").GetProperty("count").GetInt64() >= 12 * 7);
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Theory]
    [InlineData("--prompt-len", "gaussian:5", "--prompt-len must be fixed:N, uniform:A-B or file:PATH")]
    [InlineData("--output-len", "uniform:9-2", "is empty")]
    [InlineData("--qps", "fast", "--qps is the request rate")]
    public async Task BenchLlm_BadFlag_OneLineError(string flag, string value, string fragment)
    {
        var r = await CliRunner.RunAsync("bench", "--llm", "zoo:llama-tiny", flag, value);

        CliRunner.AssertOneLineError(r);
        Assert.Contains(fragment, r.StdErr, StringComparison.Ordinal);
    }
}
