using Silica.Optimization.Data;
using Silica.Optimization.Ocr;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Tests.Ocr;

public sealed class CharacterAccuracyMetricTests
{
    private static IReadOnlyList<Tensor> Output(params int[] steps) =>
        [Tensor.FromArray(CtcDecoderTests.OneHot(5, steps), [1, steps.Length, 5])];

    private static SampleSet Labels(params string[] labels) =>
        new([.. labels.Select((l, i) => new Sample(new Dictionary<string, Tensor>(), l, $"s{i}"))], "test", IsSynthetic: true);

    [Fact]
    public void Score_CandidateMisreadsOneCharacter_DropsByOneOverTotalCharacters()
    {
        var metric = new CharacterAccuracyMetric(CtcDecoderTests.Abc());
        var samples = Labels("ab", "cab");
        IReadOnlyList<IReadOnlyList<Tensor>> reference = [Output(1, 0, 2), Output(3, 1, 2)];
        IReadOnlyList<IReadOnlyList<Tensor>> candidate = [Output(1, 0, 2), Output(3, 3, 0, 2)]; // "cb" for "cab"
        var score = metric.Score(samples, reference, candidate);
        Assert.Equal("character accuracy", score.Metric);
        Assert.Equal(1.0, score.Reference, 10);
        Assert.Equal(1 - (1 / 5.0), score.Candidate, 10);
        Assert.Equal(0.2, score.Drop, 10);
    }

    [Fact]
    public void Evaluate_BatchedSample_SplitsLabelByNewline()
    {
        var metric = new CharacterAccuracyMetric(CtcDecoderTests.Abc());
        var batch = CtcDecoderTests.OneHot(5, 1, 2).Concat(CtcDecoderTests.OneHot(5, 3, 0)).ToArray();
        var acc = metric.Evaluate(Labels("ab\nc"), [[Tensor.FromArray(batch, [2, 2, 5])]]);
        Assert.Equal(0, acc.Edits);
        Assert.Equal(2, acc.Lines);
    }

    [Fact]
    public void Evaluate_UnlabelledSample_ThrowsNamingIt()
    {
        var metric = new CharacterAccuracyMetric(CtcDecoderTests.Abc());
        var samples = new SampleSet([new Sample(new Dictionary<string, Tensor>(), null, "img-3")], "test", true);
        var e = Assert.Throws<ArgumentException>(() => metric.Evaluate(samples, [Output(1)]));
        Assert.Contains("img-3", e.Message, StringComparison.Ordinal);
    }
}
