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
    // Bars sit under what was measured with these seeds (in parentheses) with room for ORT/thread-count jitter.
    public static TheoryData<string, QuantizationMode, double> Cases => new()
    {
        { "mlp", QuantizationMode.Int8Dynamic, 0.999 }, // (0.99997)
        { "mlp", QuantizationMode.Fp8, 0.99 }, // (0.9985)
        { "bert-base", QuantizationMode.Int8Static, 0.99 }, // (0.9980)
        { "bert-base", QuantizationMode.Int8Dynamic, 0.995 }, // (0.9994)
        { "bert-base", QuantizationMode.Fp8, 0.97 }, // (0.9877)
        { "resnet50", QuantizationMode.Int8Static, 0.995 }, // (0.9999)
        { "ocr-rec", QuantizationMode.Int8Static, 0.99 }, // (0.9983)
        { "ocr-rec", QuantizationMode.Int8Dynamic, 0.995 }, // (0.99994)
        { "ocr-det", QuantizationMode.Int8Static, 0.95 }, // (0.979)
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
    public void Quantize_Int8StaticOcrDet_ConcatInputsShareOneScale()
    {
        var (model, dims) = Load("ocr-det");
        Quantizer.Quantize(model, new QuantizationOptions(QuantizationMode.Int8Static), Samples("ocr-det", model, 1, 1, dims));

        var checkedConcats = 0;
        foreach (var concat in model.Graph.Nodes.Where(n => n.OpType == "Concat"))
        {
            var scales = concat.Inputs.Select(i => i?.Producer).Where(p => p?.OpType == "DequantizeLinear")
                .Select(dq => Silica.Onnx.Model.TensorData.ToDoubleArray(dq!.Inputs[1]!.Initializer!)[0]).ToList();
            if (scales.Count >= 2)
            {
                checkedConcats++;
                Assert.All(scales, s => Assert.Equal(scales[0], s));
            }
        }
        Assert.True(checkedConcats > 0, "no Concat with quantized inputs in the detector: " + string.Join("; ",
            model.Graph.Nodes.Where(n => n.OpType == "Concat").Select(c => string.Join(",", c.Inputs.Select(i => i?.Producer?.OpType)))));
    }

    [Fact]
    public void Quantize_Int8StaticResNet_ResidualSkipPathStaysFp32()
    {
        var (model, dims) = Load("resnet50");
        var report = Quantizer.Quantize(model, new QuantizationOptions(QuantizationMode.Int8Static), Samples("resnet50", model, 1, 1, dims));

        Assert.Contains(report.Notes, n => n.Contains("53 Conv nodes feed a BatchNormalization", StringComparison.Ordinal));
        var adds = model.Graph.Nodes.Where(n => n.OpType == "Add").ToList();
        Assert.Equal(16, adds.Count);
        // The identity shortcut (12 of 16 blocks; the other 4 start a stage with a projection Conv) arrives unquantized.
        Assert.Equal(12, adds.Count(a => a.Inputs.Any(i => i?.Producer?.OpType == "Relu")));
        Assert.DoesNotContain(adds, a => a.Outputs[0]!.Consumers.Any(c => c.OpType == "QuantizeLinear" && c.Outputs[0]!.Consumers.Count == 0));
    }

    [Fact]
    public void Quantize_Int8StaticAfterFoldBatchNorm_QuantizesEveryConvWithoutTheUnfoldedNote()
    {
        var (original, dims) = Load("resnet50");
        var model = QuantTestData.Copy(original);
        new Silica.Optimization.Passes.FoldBatchNormPass().Apply(model);
        var calibration = Samples("resnet50", model, 1, 1, dims);

        var report = Quantizer.Quantize(model, new QuantizationOptions(QuantizationMode.Int8Static), calibration);

        Assert.Equal(54, report.Quantized.Count);
        Assert.Equal(0, QuantTestData.Count(model, "BatchNormalization"));
        Assert.DoesNotContain(report.Notes, n => n.Contains("BatchNormalization", StringComparison.Ordinal));
        var cosine = AccuracyGate.Evaluate(original, model, Samples("resnet50", model, 1, 2, dims), [new CosineSimilarityMetric()]).Scores[0].Candidate;
        output.WriteLine($"resnet50 fold-batchnorm + INT8 static: cosine {cosine:F5}");
        Assert.True(cosine > 0.99, $"cosine {cosine}");
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
