using System.Text.Json;
using Silica.Tests;

namespace Silica.FunctionalTests.Cli;

public sealed class PredictCommandTests
{
    [Fact]
    public async Task Predict_Json_LatencyBandAndInstanceThroughput()
    {
        var r = await CliRunner.RunAsync("predict", "zoo:bert-base", "--target", "inf2.48xlarge", "--batch", "8", "--precision", "bf16", "--bind", "seq=128", "--json");
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        var root = doc.RootElement;
        Assert.Equal("predicted", root.GetProperty("kind").GetString());
        Assert.Equal(24, root.GetProperty("replicas").GetInt32()); // one per NeuronCore, two per chip
        var ms = root.GetProperty("latencyMs").GetDouble();
        Assert.InRange(ms, root.GetProperty("latencyLowMs").GetDouble(), root.GetProperty("latencyHighMs").GetDouble());
        // 24 NeuronCores each running batches of 8 back to back.
        Assert.Equal(24 * 8 / (ms / 1e3), root.GetProperty("samplesPerSecond").GetDouble(), 3);
        Assert.Contains("inferentia", root.GetProperty("basis").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Predict_Text_SaysPredictedAndBasis()
    {
        var r = await CliRunner.RunAsync("predict", "zoo:resnet50", "--target", "g6.xlarge", "--batch", "4", "--precision", "fp16");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("predicted", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("basis: roofline with gpu priors", r.StdOut, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--target", "nosuch.xlarge")]
    [InlineData("--precision", "bf16")] // T4 has no bf16
    [InlineData("--batch", "0")]
    public async Task Predict_BadInput_OneLineError(string flag, string value)
    {
        var args = new List<string> { "predict", "zoo:mlp", "--target", "g4dn.xlarge" };
        if (flag == "--target")
        {
            args[3] = value;
        }
        else
        {
            args.AddRange([flag, value]);
        }
        CliRunner.AssertOneLineError(await CliRunner.RunAsync([.. args]));
    }

    [Fact]
    public async Task Predict_PublishedOcrModel_NeedsItsImageSizeBound()
    {
        var model = TestData.OcrModel("ch_PP-OCRv4_det_infer.onnx");
        var unbound = await CliRunner.RunAsync("predict", model, "--target", "g6.xlarge", "--precision", "fp16");
        CliRunner.AssertOneLineError(unbound);
        Assert.Contains("--bind p2o.DynamicDimension.1=N,p2o.DynamicDimension.2=N", unbound.StdErr, StringComparison.Ordinal);

        var wrongName = await CliRunner.RunAsync("predict", model, "--target", "g6.xlarge", "--bind", "h=640");
        CliRunner.AssertOneLineError(wrongName);

        var bound = await CliRunner.RunAsync("predict", model, "--target", "g6.xlarge", "--precision", "fp16", "--batch", "4",
            "--bind", "p2o.DynamicDimension.1=640,p2o.DynamicDimension.2=640", "--json");
        Assert.True(bound.ExitCode == 0, bound.StdErr);
        using var doc = JsonDocument.Parse(bound.StdOut);
        // A 640x640 detection pass is GFLOPs of convolution: far from the per-inference overhead alone.
        Assert.True(doc.RootElement.GetProperty("msByOpClass").GetProperty("conv").GetDouble() > 0.5);
    }

    [Fact]
    public async Task Predict_ModelTooBigForDevice_OneLineError()
    {
        var dir = Directory.CreateTempSubdirectory("silica-predict-").FullName;
        try
        {
            var file = Path.Combine(dir, "small.json");
            File.WriteAllText(file, """
                { "devices": [ { "id": "l4-tiny", "basedOn": "l4", "scale": { "memory": 0.0001 }, "source": "what-if" } ],
                  "instances": [ { "id": "g6-tiny.xlarge", "basedOn": "g6.xlarge", "device": "l4-tiny" } ] }
                """);
            var r = await CliRunner.RunAsync("predict", "zoo:gpt2-medium-prefill", "--target", "g6-tiny.xlarge", "--catalog", file, "--bind", "seq=32");
            CliRunner.AssertOneLineError(r);
            Assert.Contains("GiB", r.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
