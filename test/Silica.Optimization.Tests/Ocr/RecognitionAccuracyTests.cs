using System.Diagnostics;
using Silica.Optimization.Ocr;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Ocr;

public sealed class RecognitionAccuracyTests(ITestOutputHelper output)
{
    [Fact]
    public void Fp32Recognizer_On200RenderedLines_ReadsAbove99Percent()
    {
        var clock = Stopwatch.StartNew();
        var set = OcrDataset.RecognitionLines(200, seed: 1, OcrTestData.FontPath);
        var rendered = clock.Elapsed;
        using var session = OcrTestData.Open(OcrTestData.Recognizer);
        var recognizer = new OcrRecognizer(session, OcrTestData.Dictionary, batchSize: 16);
        var outputs = recognizer.Run(set);
        var metric = new CharacterAccuracyMetric(OcrTestData.Dictionary);
        var accuracy = metric.Evaluate(set, outputs);
        output.WriteLine($"FP32 character accuracy on {set.Samples.Count} lines: {accuracy}; render {rendered.TotalSeconds:F1} s, total {clock.Elapsed.TotalSeconds:F1} s");
        var decoder = new CtcDecoder(OcrTestData.Dictionary);
        for (var i = 0; i < set.Samples.Count; i++)
        {
            var text = decoder.DecodeBatch(outputs[i][0])[0].Text;
            if (text.Trim() != set.Samples[i].Label)
            {
                output.WriteLine($"  {set.Samples[i].Label} | {text}");
            }
        }
        Assert.True(accuracy.Accuracy > 0.99, $"FP32 character accuracy {accuracy}");
    }
}
