using Silica.Onnx.Graph;
using Silica.Optimization.Data;
using Silica.Optimization.Evaluation;
using Silica.Optimization.MixedPrecision;
using Silica.Optimization.Ocr;
using Silica.Optimization.Quantization;
using Silica.Optimization.Tests.Ocr;
using Silica.Optimization.Tests.Support;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.MixedPrecision;

/// <summary>
/// The cheap sensitivity probes are only as good as their likeness to the real thing: a layer restored in the full
/// lowering must compute what a rebuild with that layer excluded computes (same Q/DQ placement, same ranges).
/// </summary>
public sealed class QdqLayerRestoreTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, long> Batch8 = new() { ["batch"] = 8 };

    [Theory]
    [InlineData(QuantizationMode.Int8Static)]
    [InlineData(QuantizationMode.Fp8)]
    public void Restore_MlpGemmsOneAndTwoAtATime_ComputeWhatARebuildWithThemExcludedComputes(QuantizationMode mode)
    {
        var original = QuantTestData.Zoo("mlp");
        var calibration = QuantTestData.Synthetic(original, 4, seed: 1, Batch8);
        var samples = QuantTestData.Synthetic(original, 2, seed: 2, Batch8);
        var bytes = Lower(original, calibration, new HashSet<string>(), mode).ToBytes();
        var gemms = original.Graph.Nodes.Where(n => n.OpType == "Gemm").Select(n => n.Name).ToList();

        foreach (var keep in gemms.Select(g => new HashSet<string> { g }).Concat(gemms.Skip(1).Select(g => new HashSet<string> { gemms[0], g })))
        {
            var probe = QdqLayerRestore.Restore(bytes, original, keep);

            Assert.NotNull(probe);
            Assert.All(keep, g => Assert.True(probe.Graph.Nodes.Single(n => n.Name == g).Inputs[1]!.IsInitializer, $"{g} reads its float weight"));
            AssertSameOutputs(Lower(original, calibration, keep, mode), probe, samples, $"{mode} {string.Join("+", keep)}");
        }
    }

    [Fact]
    public void Restore_RecognizerConvAndMatMul_ComputeWhatARebuildWithThemExcludedComputes()
    {
        // As the optimizer does: graph passes first (BatchNorm folded, Constant weights made initializers).
        var original = OnnxModel.Load(OcrTestData.Recognizer);
        Silica.Optimization.Passes.PassPipeline.Run(original, Silica.Optimization.Passes.PassPipeline.Default);
        var calibration = OcrDataset.RecognitionLines(2, seed: 5, OcrTestData.FontPath, width: 320);
        var samples = OcrDataset.RecognitionLines(2, seed: 6, OcrTestData.FontPath, width: 320);
        var full = Lower(original, calibration, new HashSet<string>());
        var bytes = full.ToBytes();

        // The layer the 60-line demo ranked most sensitive, a MatMul of the SVTR neck, and two pairs of consecutive
        // Convs (a kept layer reading a kept layer's output).
        string[][] sets = [["p2o.Conv.25"], ["p2o.MatMul.20"], ["p2o.Conv.6", "p2o.Conv.7", "p2o.Conv.9", "p2o.Conv.10"]];
        foreach (var set in sets)
        {
            var keep = new HashSet<string>(set);
            var name = string.Join("+", set);
            var probe = QdqLayerRestore.Restore(bytes, original, keep);

            Assert.NotNull(probe);
            AssertSameOutputs(Lower(original, calibration, keep), probe, samples, name);
        }
    }

    [Fact]
    public void Restore_Fp16Lowering_IsNotQdqSoReturnsNull()
    {
        var original = QuantTestData.Zoo("mlp");
        var lowered = QuantTestData.Copy(original);
        Silica.Optimization.Precision.HalfPrecisionConverter.Convert(lowered,
            new Silica.Optimization.Precision.HalfPrecisionOptions(Silica.Onnx.Model.TensorDataType.Float16));
        var gemm = original.Graph.Nodes.First(n => n.OpType == "Gemm").Name;

        Assert.Null(QdqLayerRestore.Restore(lowered.ToBytes(), original, new HashSet<string> { gemm }));
    }

    private static OnnxModel Lower(OnnxModel original, SampleSet calibration, IReadOnlySet<string> keep,
        QuantizationMode mode = QuantizationMode.Int8Static)
    {
        var m = QuantTestData.Copy(original);
        Quantizer.Quantize(m, new QuantizationOptions(mode, ExcludeNodes: keep), calibration);
        return m;
    }

    private void AssertSameOutputs(OnnxModel rebuilt, OnnxModel probe, SampleSet samples, string what)
    {
        var expected = ModelEvaluator.Run(rebuilt, samples);
        var actual = ModelEvaluator.Run(probe, samples);
        double worst = 0, scale = 0;
        for (var s = 0; s < expected.Count; s++)
        {
            var e = expected[s][0].AsFloats();
            var a = actual[s][0].AsFloats();
            Assert.Equal(e.Length, a.Length);
            for (var i = 0; i < e.Length; i++)
            {
                worst = Math.Max(worst, Math.Abs(e[i] - a[i]));
                scale = Math.Max(scale, Math.Abs(e[i]));
            }
        }
        output.WriteLine($"{what}: max |rebuilt - probe| = {worst:G3} (output scale {scale:G3})");
        Assert.True(worst <= 1e-5 * Math.Max(1, scale), $"{what}: the probe differs from the rebuild by {worst:G3}");
    }
}
