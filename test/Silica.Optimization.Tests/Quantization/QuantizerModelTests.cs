using Silica.Optimization.Accuracy;
using Silica.Optimization.Calibration;
using Silica.Optimization.Data;
using Silica.Optimization.Quantization;
using Silica.Optimization.Tests.Support;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Quantization;

/// <summary>Every mode on the real models (zoo and OCR), with synthetic data: the result loads in ORT, has the quantized form, and stays close.</summary>
public sealed class QuantizerModelTests(ITestOutputHelper output)
{
    public static TheoryData<string, QuantizationMode, double> Cases => new()
    {
        { "mlp", QuantizationMode.Int8Dynamic, 0.99 },
        { "mlp", QuantizationMode.Fp8, 0.95 },
        { "bert-base", QuantizationMode.Int8Static, 0.9 },
        { "bert-base", QuantizationMode.Int8Dynamic, 0.95 },
        { "bert-base", QuantizationMode.Fp8, 0.95 },
        { "resnet50", QuantizationMode.Int8Static, 0.9 },
        { "ocr-rec", QuantizationMode.Int8Static, 0.9 },
        { "ocr-rec", QuantizationMode.Int8Dynamic, 0.9 },
        { "ocr-det", QuantizationMode.Int8Static, 0.9 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Quantize_RealModel_LoadsHasQuantizedNodesAndStaysClose(string name, QuantizationMode mode, double minCosine)
    {
        var (original, dims) = Load(name);
        var model = QuantTestData.Copy(original);
        var calibration = Samples(name, model, 2, seed: 1, dims);
        var evaluation = Samples(name, model, 2, seed: 2, dims);

        var report = Quantizer.Quantize(model, new QuantizationOptions(mode), calibration);

        Assert.NotEmpty(report.Quantized);
        if (mode == QuantizationMode.Int8Dynamic)
        {
            Assert.True(QuantTestData.Count(model, "DynamicQuantizeMatMul") > 0);
        }
        else
        {
            Assert.True(QuantTestData.Count(model, "QuantizeLinear") > 0 && QuantTestData.Count(model, "DequantizeLinear") > 0);
        }
        var accuracy = AccuracyGate.Evaluate(original, model, evaluation, [new CosineSimilarityMetric(worstSample: true)]);
        var cosine = accuracy.Scores[0].Candidate;
        output.WriteLine($"{name} {mode}: {report.Quantized.Count} nodes quantized, {report.Skipped.Count} skipped, " +
            $"weights {report.BytesBefore} -> {report.BytesAfter} bytes, min cosine {cosine:F5}, notes: {string.Join("; ", report.Notes)}");
        Assert.True(cosine > minCosine, $"{name} {mode}: min cosine {cosine} <= {minCosine}");
    }

    [Fact]
    public void Quantize_Fp8OnOpset9Model_RefusesWithOneLineReason()
    {
        var (model, dims) = Load("ocr-rec");
        var calibration = QuantTestData.Synthetic(model, 1, seed: 1, dims);

        var e = Assert.Throws<NotSupportedException>(() => Quantizer.Quantize(model, new QuantizationOptions(QuantizationMode.Fp8), calibration));

        Assert.Contains("opset 9", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    internal static SampleSet Samples(string name, Silica.Onnx.Graph.OnnxModel model, int count, int seed, Dictionary<string, long> dims) =>
        name == "ocr-det" ? QuantTestData.SyntheticPages(model, count, seed, (int)dims["x:2"], (int)dims["x:3"]) : QuantTestData.Synthetic(model, count, seed, dims);

    internal static (Silica.Onnx.Graph.OnnxModel Model, Dictionary<string, long> Dims) Load(string name) => name switch
    {
        "ocr-rec" => (QuantTestData.Ocr("ch_PP-OCRv4_rec_infer.onnx"), new() { ["x:0"] = 1, ["x:3"] = 160 }),
        "ocr-det" => (QuantTestData.Ocr("ch_PP-OCRv4_det_infer.onnx"), new() { ["x:0"] = 1, ["x:2"] = 128, ["x:3"] = 128 }),
        "bert-base" => (QuantTestData.Zoo(name), new() { ["batch"] = 1, ["seq"] = 16 }),
        _ => (QuantTestData.Zoo(name), new() { ["batch"] = name == "mlp" ? 4 : 1 }),
    };
}
