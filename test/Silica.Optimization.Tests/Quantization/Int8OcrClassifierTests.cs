using Silica.Optimization.Data;
using Silica.Optimization.Quantization;
using Silica.Optimization.Tests.Support;
using Silica.Runtime.Tensors;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Quantization;

/// <summary>
/// The INT8 cases QuantizerModelTests leaves out on the OCR models: the direction classifier (static and dynamic) and
/// dynamic INT8 on the detector, which has no MatMul for it to quantize.
/// </summary>
public sealed class Int8OcrClassifierTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(QuantizationMode.Int8Static, 0.99)]
    [InlineData(QuantizationMode.Int8Dynamic, 0.999)]
    public void Int8_Classifier_RunsInOrtAndStaysClose(QuantizationMode mode, double minCosine)
    {
        var original = OrtCompare.Ocr(OcrCases.Classifier);
        var model = QuantTestData.Copy(original);
        var input = model.Graph.RuntimeInputs.Single().Name;

        var report = Quantizer.Quantize(model, new QuantizationOptions(mode), Samples(input, OcrCases.Classifier, [1, 2]));

        Assert.NotEmpty(report.Quantized);
        OrtInput[] image = [TextLikeImage.Create(input, OcrCases.Shape(OcrCases.Classifier), detector: false, seed: 101)];
        var cosine = OrtCompare.Cosine(OrtCompare.Run(original, image)[0], OrtCompare.Run(model, image)[0]);
        output.WriteLine($"classifier {mode}: {report.Quantized.Count} nodes quantized, cosine {cosine:F5}; {string.Join("; ", report.Notes)}");
        Assert.True(cosine >= minCosine, $"cosine {cosine}");
    }

    [Fact]
    public void Int8Dynamic_Detector_NothingToQuantizeSaysSoAndKeepsTheModel()
    {
        var original = OrtCompare.Ocr(OcrCases.Detector);
        var model = QuantTestData.Copy(original);

        var report = Quantizer.Quantize(model, new QuantizationOptions(QuantizationMode.Int8Dynamic), null);

        Assert.Empty(report.Quantized);
        Assert.Contains("no MatMul or Gemm with a constant 2-D weight to quantize", report.Notes);
        var inputs = OcrCases.Inputs(model, OcrCases.Detector);
        OrtCompare.AssertClose(OrtCompare.Run(original, inputs), OrtCompare.Run(model, inputs), rtol: 0);
    }

    internal static SampleSet Samples(string input, string file, int[] seeds) =>
        new([.. seeds.Select(seed =>
        {
            var image = TextLikeImage.Create(input, OcrCases.Shape(file), detector: file == OcrCases.Detector, seed);
            return new Sample(new Dictionary<string, Tensor> { [input] = Tensor.FromArray(image.Floats!, image.Shape) }, null, $"text-like {seed}");
        })], "text-like images", IsSynthetic: true);
}
