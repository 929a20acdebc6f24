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

    [Fact]
    public void Run_SampleHoldingABatch_KeepsItsBatchAndScoresEveryLine()
    {
        var lines = OcrDataset.RenderLines(3, seed: 12, OcrTestData.FontPath);
        var input = RecognitionPreprocessing.ToTensor([.. lines.Select(l => l.Image)], OcrDataset.DefaultLineWidth);
        var set = new Silica.Optimization.Data.SampleSet(
            [new Silica.Optimization.Data.Sample(new Dictionary<string, Silica.Runtime.Tensors.Tensor> { ["x"] = input }, string.Join('\n', lines.Select(l => l.Text)), "batch")],
            "three lines", IsSynthetic: false);
        using var session = OcrTestData.Open(OcrTestData.Recognizer);
        var outputs = new OcrRecognizer(session, OcrTestData.Dictionary).Run(set);
        Assert.Equal(3, outputs[0][0].Shape[0]);
        var accuracy = new CharacterAccuracyMetric(OcrTestData.Dictionary).Evaluate(set, outputs);
        Assert.Equal(3, accuracy.Lines);
        Assert.True(accuracy.Accuracy > 0.9, accuracy.ToString());
    }
}
