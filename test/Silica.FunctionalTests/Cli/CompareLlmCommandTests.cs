using System.Text.Json;

namespace Silica.FunctionalTests.Cli;

public sealed class CompareLlmCommandTests
{
    [Fact]
    public async Task CompareLlm_Json_RanksByDollarsPerMillionOutputTokens_MarksMisfitsAndSloMisses()
    {
        var r = await CliRunner.RunAsync("compare", "zoo:llama-3-8b", "--llm", "--slo-ttft", "500ms", "--slo-tpot", "50ms", "--qps", "5",
            "--targets", "p5.48xlarge,g6e.xlarge,g4dn.xlarge,c7i.8xlarge,inf2.xlarge", "--json");
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        var root = doc.RootElement;
        Assert.Equal("predicted", root.GetProperty("kind").GetString());
        var targets = root.GetProperty("targets").EnumerateArray().ToList();
        Assert.Equal(5, targets.Count);
        var ranked = targets.Where(t => t.GetProperty("rank").ValueKind == JsonValueKind.Number).ToList();
        Assert.True(ranked.Count >= 2);
        var dollars = ranked.Select(t => t.GetProperty("dollarsPerMillionOutputTokens").GetDouble()).ToList();
        Assert.Equal(dollars.Order(), dollars);
        foreach (var t in ranked)
        {
            var perHour = t.GetProperty("pricePerHour").GetDouble();
            var tokens = t.GetProperty("outputTokensPerSecond").GetDouble();
            Assert.Equal(perHour / (3600 * tokens) * 1e6, t.GetProperty("dollarsPerMillionOutputTokens").GetDouble(), 6);
            Assert.True(t.GetProperty("ttftP99Ms").GetDouble() <= 500);
            Assert.True(t.GetProperty("tpotP99Ms").GetDouble() <= 50);
            Assert.True(t.GetProperty("instancesNeeded").GetInt32() >= 1);
        }
        var t4 = targets.Single(t => t.GetProperty("instance").GetString() == "g4dn.xlarge");
        Assert.False(t4.GetProperty("fits").GetBoolean());
        var cpu = targets.Single(t => t.GetProperty("instance").GetString() == "c7i.8xlarge");
        Assert.True(cpu.GetProperty("fits").GetBoolean());
        Assert.False(cpu.GetProperty("meetsSlo").GetBoolean());
    }

    [Fact]
    public async Task CompareLlm_Text_TableAndReasons()
    {
        var r = await CliRunner.RunAsync("compare", "zoo:llama-3-8b", "--llm", "--slo-ttft", "1s", "--slo-tpot", "40ms",
            "--targets", "g6e.xlarge,g4dn.xlarge", "--prompt-len", "256-1024", "--output-len", "64-256");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("$/1M out", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("g6e.xlarge", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("g4dn.xlarge (fp16): does not fit", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("all figures predicted", r.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zoo:resnet50", "--slo-ttft", "500ms")]
    [InlineData("zoo:llama-3-8b", "--slo-ttft", "fast")]
    [InlineData("zoo:llama-3-8b", "--slo-tpot", "0ms")]
    [InlineData("zoo:llama-3-8b", "--targets", "nosuch")]
    [InlineData("zoo:llama-3-8b", "--prompt-len", "10-5")]
    [InlineData("zoo:llama-3-8b", "--qps", "0")]
    public async Task CompareLlm_BadInput_OneLineError(string model, string flag, string value) =>
        CliRunner.AssertOneLineError(await CliRunner.RunAsync("compare", model, "--llm", flag, value));
}
