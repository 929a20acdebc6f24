using System.Text.Json;

namespace Silica.FunctionalTests.Cli;

public sealed class GpuCheckCommandTests
{
    [Fact]
    public async Task GpuCheck_CpuAgainstCpu_Mlp_PassesFp32AndTf32_RefusesHalfPrecisions_WritesJson()
    {
        var json = Path.Combine(Path.GetTempPath(), $"silica-gpu-check-{Guid.NewGuid():N}.json");
        try
        {
            var r = await CliRunner.RunAsync("gpu-check", "--backend", "cpu", "--models", "mlp", "--json", json);

            Assert.True(r.ExitCode == 0, r.StdErr + r.StdOut);
            Assert.Matches(@"mlp\s+│ fp32\s+│ pass\s+│ 0\.00e0\s+│ 1\.000000", r.StdOut);
            Assert.Contains("gpu-check passed", r.StdOut, StringComparison.Ordinal);
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var models = doc.RootElement.GetProperty("models").EnumerateArray().ToList();
            Assert.Equal(["fp32", "tf32", "fp16", "bf16", "fp8"], models.Select(m => m.GetProperty("precision").GetString()));
            // The CPU backend refuses FP16/BF16 rather than measure FP32 under their name; FP8 is for transformers only.
            Assert.Equal(["pass", "pass", "skip", "skip", "skip"], models.Select(m => m.GetProperty("status").GetString()));
            Assert.Contains("runs the model's own number formats", models[2].GetProperty("note").GetString(), StringComparison.Ordinal);
            Assert.True(doc.RootElement.GetProperty("passed").GetBoolean());
        }
        finally
        {
            File.Delete(json);
        }
    }

    [Fact]
    public async Task GpuCheck_CudaWithoutGpu_OneLineNotAvailable()
    {
        var r = await CliRunner.RunAsync("gpu-check", "--models", "mlp");

        CliRunner.AssertOneLineError(r);
        Assert.StartsWith("silica: backend 'cuda' is not available: ", r.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GpuCheck_UnknownPrecision_OneLineError() =>
        CliRunner.AssertOneLineError(await CliRunner.RunAsync("gpu-check", "--backend", "cpu", "--precision", "fp4"));

    [Fact]
    public async Task GpuCheck_UnknownModel_OneLineError() =>
        CliRunner.AssertOneLineError(await CliRunner.RunAsync("gpu-check", "--backend", "cpu", "--models", "nosuch"));
}
