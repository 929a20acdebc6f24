using Silica.Optimization.Accuracy;
using Silica.Optimization.Data;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Tests.Accuracy;

public sealed class MetricTests
{
    private static readonly SampleSet TwoSamples = new([new Sample(new Dictionary<string, Tensor>(), null, "a"), new Sample(new Dictionary<string, Tensor>(), null, "b")], "test", true);

    private static IReadOnlyList<IReadOnlyList<Tensor>> Run(params float[][] perSample) =>
        [.. perSample.Select(v => (IReadOnlyList<Tensor>)[Tensor.FromArray(v, [v.Length / 3, 3])])];

    [Fact]
    public void Cosine_MeanAndWorstSample()
    {
        var reference = Run([1, 0, 0], [1, 0, 0]);
        var candidate = Run([1, 0, 0], [0, 1, 0]); // identical, then orthogonal

        Assert.Equal(0.5, new CosineSimilarityMetric().Score(TwoSamples, reference, candidate).Candidate, 12);
        Assert.Equal(0.0, new CosineSimilarityMetric(worstSample: true).Score(TwoSamples, reference, candidate).Candidate, 12);
    }

    [Fact]
    public void Top1Agreement_CountsRowsWithTheSameArgMax()
    {
        var reference = Run([0.1f, 0.9f, 0, 5, 1, 0], [0, 0, 1, 1, 0, 0]);
        var candidate = Run([0.2f, 0.8f, 0, 1, 5, 0], [0, 0, 1, 1, 0, 0]); // 3 of 4 rows agree

        var score = new Top1AgreementMetric().Score(TwoSamples, reference, candidate);

        Assert.Equal(0.75, score.Candidate, 12);
        Assert.Equal(0.25, score.Drop, 12);
    }

    [Fact]
    public void MaxRelativeError_IsWorstErrorOverOutputScale()
    {
        var reference = Run([2, -4, 1], [1, 1, 1]);
        var candidate = Run([2, -3, 1], [1, 1, 1.1f]); // errors 1 of max 4, and 0.1 of max 1

        var score = new MaxRelativeErrorMetric().Score(TwoSamples, reference, candidate);

        Assert.Equal(0.25, score.Drop, 6);
    }
}
