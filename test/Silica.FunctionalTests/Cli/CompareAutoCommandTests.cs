using System.Text.Json;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Zoo;

namespace Silica.FunctionalTests.Cli;

/// <summary><c>silica compare --precision auto</c>: the accuracy gate runs here and only passing precisions are costed.</summary>
public sealed class CompareAutoCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("silica-compare-auto-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task CompareAuto_Mlp_Json_ListsGateResultsPerPrecision_AndCostsOnlyPassingOnes()
    {
        var r = await CliRunner.RunAsync("compare", "zoo:mlp", "--precision", "auto", "--json", "--measure-budget", "0s",
            "--targets", "inf2,g5,local", "--out", _dir);
        Assert.True(r.ExitCode == 0, r.StdErr);
        using var doc = JsonDocument.Parse(r.StdOut);
        var accuracy = doc.RootElement.GetProperty("accuracy");
        Assert.Equal(1, accuracy.GetProperty("budgetPoints").GetDouble(), 9);
        Assert.Contains("CPU", accuracy.GetProperty("basis").GetString(), StringComparison.Ordinal);
        Assert.Contains("predicted per target", accuracy.GetProperty("basis").GetString(), StringComparison.Ordinal);
        Assert.True(accuracy.GetProperty("evaluation").GetProperty("synthetic").GetBoolean());
        var checks = accuracy.GetProperty("precisions").EnumerateArray().ToList();
        var names = checks.Select(c => c.GetProperty("precision").GetString()).ToList();
        // The MLP is all Gemm, so int8-dynamic is a candidate too.
        Assert.Equal(["fp32", "bf16", "fp16", "int8", "int8-dynamic", "fp8"], names);
        foreach (var c in checks.Skip(1))
        {
            var metric = c.GetProperty("metrics")[0];
            Assert.Equal("top-1 agreement", metric.GetProperty("metric").GetString());
            Assert.InRange(metric.GetProperty("valuePercent").GetDouble(), 0, 100);
            Assert.True(metric.GetProperty("gated").GetBoolean());
            Assert.Equal(8, c.GetProperty("samples").GetInt32());
            Assert.StartsWith("synthetic", c.GetProperty("dataSource").GetString(), StringComparison.Ordinal);
            var passed = c.GetProperty("passed").GetBoolean();
            Assert.Equal(passed, metric.GetProperty("dropPoints").GetDouble() <= 1);
            Assert.Equal(passed, c.GetProperty("reason").ValueKind == JsonValueKind.Null);
        }
        Assert.True(checks.Single(c => c.GetProperty("precision").GetString() == "bf16").GetProperty("emulated").GetBoolean());

        var admitted = checks.Where(c => c.GetProperty("passed").GetBoolean()).Select(c => c.GetProperty("tableFormat").GetString()).ToHashSet();
        var costed = doc.RootElement.GetProperty("deployments").EnumerateArray().Select(d => d.GetProperty("precision").GetString()).ToHashSet();
        Assert.Contains("fp32", costed);
        Assert.Subset(admitted, costed);
        Assert.Equal(admitted, doc.RootElement.GetProperty("requirement").GetProperty("precisions").EnumerateArray().Select(p => p.GetString()).ToHashSet());
        var excluded = accuracy.GetProperty("excluded").EnumerateArray().Select(x => x.GetProperty("precision").GetString()).ToList();
        Assert.Equal(checks.Where(c => !c.GetProperty("passed").GetBoolean()).Select(c => c.GetProperty("precision").GetString()), excluded);
        Assert.True(File.Exists(Path.Combine(_dir, "results.json")));
    }

    [Fact]
    public async Task CompareAuto_TinyBudget_ExcludesInt8WithTheReason_TablePrintsFp32()
    {
        // Two outputs make the gate hold cosine similarity (a continuous metric) to the budget; 0.0001 pt is far below
        // what 8-bit rounding costs.
        var model = Path.Combine(_dir, "mlp-two-outputs.onnx");
        var onnx = ModelZoo.Build("mlp");
        var hidden = onnx.Graph.Nodes.Last(n => n.OpType == "Relu").Outputs[0]!;
        hidden.Type ??= new TensorType(TensorDataType.Float, new TensorShape("batch", 512));
        onnx.Graph.AddOutput(hidden);
        onnx.Save(model);

        var r = await CliRunner.RunAsync("compare", model, "--precision", "auto", "--accuracy-budget", "0.0001%", "--measure-budget", "0s",
            "--targets", "g5,local", "--out", _dir);
        Assert.True(r.ExitCode == 0, r.StdErr);
        Assert.Contains("excluded from the cost table:", r.StdOut, StringComparison.Ordinal);
        Assert.Matches(@"int8: cosine similarity [0-9.]+% vs 100% for fp32: drop [0-9.]+ pt > budget 0\.0001 pt", r.StdOut);
        Assert.Contains("measured here on CPU", r.StdOut, StringComparison.Ordinal);

        using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_dir, "results.json")));
        var accuracy = doc.RootElement.GetProperty("accuracy");
        var int8 = accuracy.GetProperty("precisions").EnumerateArray().Single(c => c.GetProperty("precision").GetString() == "int8");
        Assert.False(int8.GetProperty("passed").GetBoolean());
        Assert.Equal("cosine similarity", int8.GetProperty("metrics")[0].GetProperty("metric").GetString());
        Assert.True(int8.GetProperty("metrics")[0].GetProperty("dropPoints").GetDouble() > 0.0001);
        Assert.Contains(accuracy.GetProperty("excluded").EnumerateArray(), x => x.GetProperty("precision").GetString() == "int8");
        var costed = doc.RootElement.GetProperty("deployments").EnumerateArray().Select(d => d.GetProperty("precision").GetString()).ToHashSet();
        Assert.DoesNotContain("int8", costed);
        Assert.Contains("fp32", costed);
    }

    [Theory]
    [InlineData("--precision", "auto,fp16")]
    [InlineData("--precision", "fp32,AUTO")]
    [InlineData("--accuracy-budget", "1%")]
    [InlineData("--calibration", "synthetic:4")]
    public async Task CompareAuto_BadInput_OneLineError(string flag, string value)
    {
        var r = await CliRunner.RunAsync("compare", "zoo:mlp", "--measure-budget", "0s", "--out", _dir, flag, value);
        CliRunner.AssertOneLineError(r);
        Assert.Contains(flag == "--precision" ? "do not mix" : "only applies with --precision auto", r.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_dir, "results.json")));
    }

    [Theory]
    [InlineData("lots")]
    [InlineData("150%")]
    public async Task CompareAuto_BadBudget_OneLineError(string budget)
    {
        var r = await CliRunner.RunAsync("compare", "zoo:mlp", "--precision", "auto", "--accuracy-budget", budget, "--measure-budget", "0s", "--out", _dir);
        CliRunner.AssertOneLineError(r);
        Assert.Contains("--accuracy-budget", r.StdErr, StringComparison.Ordinal);
    }
}
