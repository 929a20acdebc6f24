using Silica.Optimization.Accuracy;
using Silica.Optimization.Calibration;
using Silica.Optimization.Quantization;
using Silica.Optimization.Tests.Support;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Calibration;

public sealed class CalibrationMethodTests(ITestOutputHelper output)
{
    [Fact]
    public void Quantize_EachMethodOnOcrRec_ChoosesDifferentScalesAndAllStayClose()
    {
        var (original, dims) = Quantization.QuantizerModelTests.Load("ocr-rec");
        var calibration = QuantTestData.Synthetic(original, 2, seed: 1, dims);
        var evaluation = QuantTestData.Synthetic(original, 2, seed: 2, dims);
        var scales = new Dictionary<CalibrationMethod, Dictionary<string, float>>();
        foreach (var method in Enum.GetValues<CalibrationMethod>())
        {
            var model = QuantTestData.Copy(original);
            var report = Quantizer.Quantize(model, new QuantizationOptions(QuantizationMode.Int8Static, method, Percentile: 99.9), calibration);
            scales[method] = report.Scales.ToDictionary(s => s.Tensor, s => s.Scale);
            var cosine = AccuracyGate.Evaluate(original, model, evaluation, [new CosineSimilarityMetric()]).Scores[0].Candidate;
            output.WriteLine($"{method}: cosine {cosine:F5}, median scale {scales[method].Values.Order().ElementAt(scales[method].Count / 2):G4}");
            Assert.True(cosine > 0.95, $"{method}: cosine {cosine}");
        }
        var minMax = scales[CalibrationMethod.MinMax];
        foreach (var method in new[] { CalibrationMethod.Percentile, CalibrationMethod.Entropy })
        {
            var other = scales[method];
            Assert.Equal(minMax.Keys.Order(), other.Keys.Order());
            var smaller = minMax.Keys.Count(k => other[k] < minMax[k] * 0.999f);
            Assert.True(smaller > minMax.Count / 4, $"{method} clipped only {smaller} of {minMax.Count} tensors");
            Assert.All(minMax.Keys, k => Assert.True(other[k] <= minMax[k] * 1.0001f, $"{method} widened {k}"));
        }
        Assert.NotEqual(scales[CalibrationMethod.Percentile], scales[CalibrationMethod.Entropy]);
    }
}
