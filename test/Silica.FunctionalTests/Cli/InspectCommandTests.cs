using System.Text.Json;
using Silica.Tests;

namespace Silica.FunctionalTests.Cli;

public sealed class InspectCommandTests
{
    [Fact]
    public async Task Inspect_Resnet50Json_ReportsFourPointOneGigaMacs()
    {
        var r = await CliRunner.RunAsync("inspect", "zoo:resnet50", "--json");
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        var totals = doc.RootElement.GetProperty("totals");
        Assert.InRange(totals.GetProperty("macs").GetDouble(), 4.1e9 * 0.98, 4.1e9 * 1.02);
        Assert.Equal(0, totals.GetProperty("unknownNodes").GetInt32());
        Assert.Equal("[1,1000]", doc.RootElement.GetProperty("outputs")[0].GetProperty("shape").GetString());
    }

    [Fact]
    public async Task Inspect_BertBaseBound_ShowsBoundShapesInTable()
    {
        var r = await CliRunner.RunAsync("inspect", "zoo:bert-base", "--bind", "batch=2,seq=64");
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("[2,64,768]", r.StdOut, StringComparison.Ordinal);
        Assert.Contains("not measured", r.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_OcrRecognizerPerNode_ListsEveryNode()
    {
        var path = TestData.OcrModel("ch_PP-OCRv4_rec_infer.onnx");
        var r = await CliRunner.RunAsync("inspect", path, "--json", "--per-node");
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        Assert.True(doc.RootElement.GetProperty("nodes").GetArrayLength() > 100);
    }

    [Theory]
    [InlineData("missing")]
    [InlineData("text")]
    [InlineData("truncated")]
    [InlineData("empty")]
    [InlineData("directory")]
    public async Task Inspect_BadFile_OneLineErrorExitCodeTwo(string kind)
    {
        var dir = Directory.CreateTempSubdirectory("silica-cli-").FullName;
        try
        {
            var path = Path.Combine(dir, "model.onnx");
            switch (kind)
            {
                case "text":
                    await File.WriteAllTextAsync(path, "this is not an onnx model\n");
                    break;
                case "truncated":
                    var bytes = await File.ReadAllBytesAsync(TestData.OcrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx"));
                    await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);
                    break;
                case "empty":
                    await File.WriteAllBytesAsync(path, []);
                    break;
                case "directory":
                    Directory.CreateDirectory(path);
                    break;
                default:
                    break;
            }
            var r = await CliRunner.RunAsync("inspect", path);
            CliRunner.AssertOneLineError(r);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("inspect", "zoo:no-such-model")]
    [InlineData("inspect", "zoo:resnet50", "--bind", "batch=abc")]
    [InlineData("inspect", "zoo:resnet50", "--bind", "colour=3")]
    [InlineData("inspect", "zoo:resnet50", "--no-such-flag")]
    [InlineData("inspect")]
    public async Task Inspect_BadArguments_OneLineErrorExitCodeTwo(params string[] args)
    {
        var r = await CliRunner.RunAsync(args);
        CliRunner.AssertOneLineError(r);
    }
}
