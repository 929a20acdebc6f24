using Silica.Onnx.Model;
using Silica.Optimization.Ocr;
using Silica.Runtime.Tensors;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Ocr;

public sealed class BoxIouMetricTests(ITestOutputHelper output)
{
    private static IReadOnlyList<IReadOnlyList<Tensor>> Detect(OcrPageSet set)
    {
        using var det = OcrTestData.Open(OcrTestData.Detector);
        var outputs = new List<IReadOnlyList<Tensor>>();
        foreach (var sample in set.Samples.Samples)
        {
            var input = sample.Inputs[OcrDataset.RecognizerInputName];
            var map = Tensor.Allocate(TensorDataType.Float, [1, 1, input.Shape[2], input.Shape[3]]);
            det.Run([input], [map]);
            outputs.Add([map]);
        }
        return outputs;
    }

    [Fact]
    public void Score_RealDetectorOnRenderedPages_FindsTheLinesAndSeesADegradedMap()
    {
        var set = OcrDataset.Pages(3, seed: 5, OcrTestData.FontPath);
        var original = Detect(set);

        var vsTruth = new BoxIouMetric(set.MapBoxes).Score(set.Samples, original, original);
        output.WriteLine($"FP32 detector vs ink boxes: {vsTruth.Reference:F3} over {set.MapBoxes.Sum(p => p.Count)} lines");
        Assert.InRange(vsTruth.Reference, 0.6, 1.0);
        Assert.Equal(vsTruth.Reference, vsTruth.Candidate, 10);

        // A candidate whose probabilities are scaled down loses boxes (fewer pass 0.6), and the metric must show it.
        var degraded = original.Select(o =>
        {
            var copy = Tensor.FromArray(o[0].AsFloats().ToArray(), o[0].Shape);
            foreach (ref var p in copy.AsFloats())
            {
                p *= 0.7f;
            }
            return (IReadOnlyList<Tensor>)[copy];
        }).ToList();
        var vsOriginal = new BoxIouMetric().Score(set.Samples, original, degraded);
        output.WriteLine($"degraded vs original: {vsOriginal.Candidate:F3}");
        Assert.Equal(1.0, vsOriginal.Reference);
        Assert.Equal(1.0, new BoxIouMetric().Score(set.Samples, original, original).Candidate, 10);
        Assert.True(vsOriginal.Candidate < 0.9, $"degraded map scored {vsOriginal.Candidate}");
    }

    [Fact]
    public void Pages_SampleShapesAndLabels_MatchThePages()
    {
        // 600 x 400 goes to the detector as 608 x 384: 400 / 32 = 12.5 rounds to even, as Python's round() does.
        var set = OcrDataset.Pages(2, seed: 9, OcrTestData.FontPath, width: 600, height: 400);
        var sample = set.Samples.Samples[0];
        Assert.Equal([1L, 3, 384, 608], sample.Inputs["x"].Shape.ToArray());
        Assert.Equal(set.Pages[0].Text, sample.Label);
        Assert.Equal(set.Pages[0].Lines.Count, set.MapBoxes[0].Count);
        Assert.InRange(set.Pages[0].Lines.Count, 3, 8);
        Assert.False(set.Samples.IsSynthetic);
    }
}
