using Silica.Optimization.Accuracy;
using Silica.Optimization.Calibration;
using Silica.Optimization.Data;
using Silica.Optimization.Evaluation;
using Silica.Optimization.Quantization;
using Silica.Optimization.Tests.Support;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Tests.Quantization;

public sealed class QuantizerMlpTests
{
    private static readonly Dictionary<string, long> Batch4 = new() { ["batch"] = 4 };

    [Fact]
    public void Quantize_Int8StaticMinMax_MlpRunsInOrtWithQdqAndStaysClose()
    {
        var original = QuantTestData.Zoo("mlp");
        var model = QuantTestData.Copy(original);
        var calibration = QuantTestData.Synthetic(model, 8, seed: 1, Batch4);
        var evaluation = QuantTestData.Synthetic(model, 8, seed: 2, Batch4);

        var report = Quantizer.Quantize(model, new QuantizationOptions(QuantizationMode.Int8Static), calibration);

        Assert.Equal(3, report.Quantized.Count);
        Assert.True(QuantTestData.Count(model, "QuantizeLinear") >= 3);
        Assert.True(QuantTestData.Count(model, "DequantizeLinear") >= 6);
        Assert.True(report.BytesAfter < report.BytesBefore / 3, $"{report.BytesBefore} -> {report.BytesAfter}");
        Assert.Contains(report.Notes, n => n.Contains("synthetic", StringComparison.Ordinal));
        var accuracy = AccuracyGate.Evaluate(original, model, evaluation, [new CosineSimilarityMetric(), new Top1AgreementMetric()]);
        Assert.True(accuracy.Scores[0].Candidate > 0.99, $"cosine {accuracy.Scores[0].Candidate}");
        Assert.True(accuracy.Scores[1].Candidate >= 0.9, $"top-1 {accuracy.Scores[1].Candidate}");
    }

    [Fact]
    public void Quantize_ExcludedNode_IsSkippedAndListed()
    {
        var model = QuantTestData.Zoo("mlp");
        var first = model.Graph.Nodes.First(n => n.OpType == "Gemm").Name;
        var calibration = QuantTestData.Synthetic(model, 2, seed: 1, Batch4);

        var report = Quantizer.Quantize(model, new QuantizationOptions(QuantizationMode.Int8Static, ExcludeNodes: new HashSet<string> { first }), calibration);

        Assert.Equal(2, report.Quantized.Count);
        Assert.Contains(report.Skipped, s => s.Node == first && s.Reason == SkipReason.Excluded);
        Assert.Contains(report.Skipped, s => s.OpType == "Relu" && s.Reason == SkipReason.NotQuantizable);
    }

    [Fact]
    public void Quantize_StaticWithoutCalibration_Throws()
    {
        var model = QuantTestData.Zoo("mlp");
        var e = Assert.Throws<ArgumentException>(() => Quantizer.Quantize(model, new QuantizationOptions(QuantizationMode.Int8Static), null));
        Assert.Contains("calibration", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Quantize_CalibrationSampleOfWrongShape_FailsNamingTheSampleAndLeavesModelUnchanged()
    {
        var model = QuantTestData.Zoo("mlp");
        var before = model.ToBytes();
        var bad = new Sample(new Dictionary<string, Tensor> { ["input"] = Tensor.FromArray(new float[4 * 100], [4, 100]) }, null, "bad.npy");
        var calibration = new SampleSet([bad], "test folder", IsSynthetic: false);

        var e = Assert.Throws<InferenceException>(() => Quantizer.Quantize(model, new QuantizationOptions(QuantizationMode.Int8Static), calibration));

        Assert.Contains("bad.npy", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(before, model.ToBytes());
    }

    [Fact]
    public void ModelEvaluator_Run_ReturnsOneTensorPerOutputPerSample()
    {
        var model = QuantTestData.Zoo("mlp");
        var samples = QuantTestData.Synthetic(model, 3, seed: 5, Batch4);

        var outputs = ModelEvaluator.Run(model, samples);

        Assert.Equal(3, outputs.Count);
        Assert.Equal([4L, 10L], outputs[0][0].Shape.ToArray());
    }

    [Fact]
    public void AccuracyGate_SameModel_ScoresOneAndDefaultsToTop1ForClassifier()
    {
        var model = QuantTestData.Zoo("mlp");
        var samples = QuantTestData.Synthetic(model, 2, seed: 5, Batch4);
        var metrics = AccuracyGate.DefaultMetrics(model);

        var report = AccuracyGate.Evaluate(model, QuantTestData.Copy(model), samples, metrics);

        Assert.IsType<Top1AgreementMetric>(Assert.Single(metrics));
        Assert.Equal(1.0, report.Scores[0].Candidate);
        Assert.True(report.Outputs[0].MinCosine > 0.999999);
        Assert.True(report.Meets(0));
    }
}
