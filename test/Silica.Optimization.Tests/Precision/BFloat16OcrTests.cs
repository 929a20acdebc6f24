using Silica.Onnx.Model;
using Silica.Optimization.Precision;
using Silica.Optimization.Tests.Support;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Precision;

/// <summary>
/// BF16 on the three PaddleOCR models through the CPU emulation (ONNX Runtime has no BF16 CPU kernels): weights and
/// activations rounded to BF16, sensitive ops kept FP32, outputs close to FP32 but not equal to them.
/// </summary>
public sealed class BFloat16OcrTests(ITestOutputHelper output)
{
    [Theory]
    // Bars below what was measured (in the test output) with room for ORT thread-count jitter; BF16 keeps 8 bits of
    // mantissa against FP16's 11, so the bars sit under FP16's 0.999.
    [InlineData(OcrCases.Detector, 0.99)]
    [InlineData(OcrCases.Recognizer, 0.99)]
    [InlineData(OcrCases.Classifier, 0.99)]
    public void Bf16Emulation_OcrModel_CloseToFp32(string file, double minCosine)
    {
        var model = OrtCompare.Ocr(file);
        var inputs = OcrCases.Inputs(model, file);
        var reference = OrtCompare.Run(model, inputs);

        var report = BFloat16Emulation.Apply(model, new HalfPrecisionOptions(TensorDataType.BFloat16));
        output.WriteLine(report.ToString());
        var actual = OrtCompare.Run(model, inputs);
        var cosine = OrtCompare.Cosine(reference[0], actual[0]);
        output.WriteLine($"{reference[0].Name} {string.Join("x", reference[0].Shape)}: cosine {cosine:F6}");

        Assert.Equal(TensorDataType.BFloat16, report.Target);
        Assert.True(cosine >= minCosine, $"cosine {cosine}");
        Assert.NotEqual(reference[0].Values, actual[0].Values); // the rounding really happens
    }
}
