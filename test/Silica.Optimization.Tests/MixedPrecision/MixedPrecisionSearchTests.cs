using Silica.Onnx.Graph;
using Silica.Optimization.Accuracy;
using Silica.Optimization.MixedPrecision;
using Silica.Optimization.Quantization;
using Silica.Optimization.Tests.Support;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.MixedPrecision;

public sealed class MixedPrecisionSearchTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, long> Batch8 = new() { ["batch"] = 8 };

    [Fact]
    public void Run_MlpInt8MissesTightBudget_KeepsSensitiveLayersUntilItHolds()
    {
        var original = QuantTestData.Zoo("mlp");
        var calibration = QuantTestData.Synthetic(original, 4, seed: 1, Batch8);
        var evaluation = QuantTestData.Synthetic(original, 4, seed: 2, Batch8);
        OnnxModel Build(IReadOnlySet<string> keep)
        {
            var m = QuantTestData.Copy(original);
            Quantizer.Quantize(m, new QuantizationOptions(QuantizationMode.Int8Static, ExcludeNodes: keep), calibration);
            return m;
        }
        var lines = new List<string>();

        var result = MixedPrecisionSearch.Run(original, Build, evaluation, new CosineSimilarityMetric(), budget: 0.0001,
            new Progress<string>(lines.Add));

        output.WriteLine($"full {result.FullScore.Candidate:F6}, final {result.FinalScore.Candidate:F6}, kept {string.Join(",", result.KeptNodes)}; {result.Method}");
        foreach (var s in result.Sensitivities)
        {
            output.WriteLine($"  {string.Join("+", s.Nodes)} {s.Sensitivity:F6}");
        }
        Assert.True(result.FullScore.Drop > 0.0001, $"full INT8 drop {result.FullScore.Drop} already meets the budget: the test shows nothing");
        Assert.True(result.MetBudget);
        Assert.True(result.FinalScore.Drop <= 0.0001);
        Assert.Equal(3, result.Sensitivities.Count);
        var kept = Assert.Single(result.Kept);
        Assert.Equal(result.Sensitivities[0], kept);
        Assert.True(kept.Sensitivity > result.Sensitivities[1].Sensitivity);
        // The kept Gemm still reads its FP32 weight; the other two read dequantized int8 weights.
        var gemms = result.Model.Graph.Nodes.Where(n => n.OpType == "Gemm").ToList();
        Assert.Single(gemms, g => g.Inputs[1]!.IsInitializer);
        Assert.Equal(kept.Nodes[0], gemms.Single(g => g.Inputs[1]!.IsInitializer).Name);
        Assert.Contains(lines, l => l.StartsWith("keeping 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Run_MlpFp8_MeetsBudgetByKeepingFewerThanAllLayers()
    {
        var original = QuantTestData.Zoo("mlp");
        var calibration = QuantTestData.Synthetic(original, 4, seed: 1, Batch8);
        var evaluation = QuantTestData.Synthetic(original, 4, seed: 2, Batch8);
        OnnxModel Build(IReadOnlySet<string> keep)
        {
            var m = QuantTestData.Copy(original);
            Quantizer.Quantize(m, new QuantizationOptions(QuantizationMode.Fp8, ExcludeNodes: keep), calibration);
            return m;
        }

        var result = MixedPrecisionSearch.Run(original, Build, evaluation, new CosineSimilarityMetric(), budget: 0.0005);

        output.WriteLine($"FP8 full {result.FullScore.Candidate:F6}, final {result.FinalScore.Candidate:F6}, kept {string.Join(",", result.KeptNodes)}");
        Assert.True(result.FullScore.Drop > 0.0005, $"full FP8 drop {result.FullScore.Drop} already meets the budget");
        Assert.True(result.MetBudget);
        Assert.InRange(result.Kept.Count, 1, 2);
    }
}
