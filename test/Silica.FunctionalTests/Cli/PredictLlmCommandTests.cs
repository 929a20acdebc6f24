using System.Text.Json;

namespace Silica.FunctionalTests.Cli;

public sealed class PredictLlmCommandTests
{
    [Fact]
    public async Task PredictLlm_Llama3_8B_OnP5_Json_TtftTpotBandsAndTp()
    {
        var r = await CliRunner.RunAsync("predict", "zoo:llama-3-8b", "--llm", "--target", "p5.48xlarge", "--batch", "8",
            "--prompt-len", "512", "--output-len", "128", "--precision", "fp16", "--json");
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        var root = doc.RootElement;
        Assert.Equal("predicted", root.GetProperty("kind").GetString());
        Assert.True(root.GetProperty("fits").GetBoolean());
        Assert.Equal(1, root.GetProperty("tensorParallel").GetInt32());
        Assert.Equal(8, root.GetProperty("replicas").GetInt32());
        var tpot = root.GetProperty("tpotMs").GetDouble();
        Assert.InRange(tpot, root.GetProperty("tpotLowMs").GetDouble(), root.GetProperty("tpotHighMs").GetDouble());
        // About 15 GB of weights streamed per step at 3.35 TB/s: 5-8 ms, not 0.5 or 50.
        Assert.InRange(tpot, 5, 8);
        var ttft = root.GetProperty("ttftMs").GetDouble();
        Assert.InRange(ttft, root.GetProperty("ttftLowMs").GetDouble(), root.GetProperty("ttftHighMs").GetDouble());
        Assert.Equal("compute", root.GetProperty("prefillBound").GetString());
        Assert.Equal("memory", root.GetProperty("decodeBound").GetString());
        Assert.Contains("decoder roofline", root.GetProperty("basis").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PredictLlm_Llama2_70B_OneGpu_DoesNotFit_EightGpus_Tp2()
    {
        var one = await CliRunner.RunAsync("predict", "zoo:llama-2-70b", "--llm", "--target", "g6e.xlarge", "--precision", "fp16");
        Assert.True(one.ExitCode == 0, one.StdErr);
        Assert.Contains("does not fit", one.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("TPOT", one.StdOut, StringComparison.Ordinal);

        var eight = await CliRunner.RunAsync("predict", "zoo:llama-2-70b", "--llm", "--target", "p5.48xlarge", "--precision", "fp16");
        Assert.True(eight.ExitCode == 0, eight.StdErr);
        Assert.Contains("TP 2", eight.StdOut, StringComparison.Ordinal);
        Assert.Contains("TTFT:", eight.StdOut, StringComparison.Ordinal);
        Assert.Contains("TPOT:", eight.StdOut, StringComparison.Ordinal);
        Assert.Contains("90% band", eight.StdOut, StringComparison.Ordinal);
        Assert.Contains("predicted", eight.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("zoo:resnet50", "--target", "p5.48xlarge")] // not a decoder
    [InlineData("zoo:llama-3-8b", "--target", "nosuch.xlarge")]
    [InlineData("zoo:llama-3-8b", "--batch", "0")]
    [InlineData("zoo:llama-3-8b", "--prompt-len", "0")]
    [InlineData("zoo:llama-3-8b", "--tp", "3")]
    [InlineData("zoo:llama-3-8b", "--precision", "fp64")]
    [InlineData("zoo:llama-3-8b", "--output-len", "9000")] // over the 8192-token context
    public async Task PredictLlm_BadInput_OneLineError(string model, string flag, string value)
    {
        var args = new List<string> { "predict", model, "--llm", "--target", "p5.48xlarge" };
        if (flag == "--target")
        {
            args[4] = value;
        }
        else
        {
            args.AddRange([flag, value]);
        }
        CliRunner.AssertOneLineError(await CliRunner.RunAsync([.. args]));
    }
}
