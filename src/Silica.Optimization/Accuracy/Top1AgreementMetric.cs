using Silica.Optimization.Data;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Accuracy;

/// <summary>
/// For a classifier (an output shaped <c>[batch, classes]</c>): the fraction of rows where the candidate's
/// arg-max class equals the original's. Needs no labels; the original scores 1.
/// </summary>
public sealed class Top1AgreementMetric : IAccuracyMetric
{
    /// <summary>Creates the metric over the output at <paramref name="outputIndex"/>.</summary>
    public Top1AgreementMetric(int outputIndex = 0) => OutputIndex = outputIndex;

    /// <summary>Which model output holds the class scores.</summary>
    public int OutputIndex { get; }

    /// <inheritdoc/>
    public string Name => "top-1 agreement";

    /// <inheritdoc/>
    public MetricScore Score(SampleSet samples, IReadOnlyList<IReadOnlyList<Tensor>> reference, IReadOnlyList<IReadOnlyList<Tensor>> candidate)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        long rows = 0, agree = 0;
        for (var s = 0; s < reference.Count; s++)
        {
            var r = reference[s][OutputIndex];
            var c = candidate[s][OutputIndex];
            if (r.Rank != 2 || !r.Shape.SequenceEqual(c.Shape))
            {
                throw new ArgumentException($"top-1 agreement needs a [batch, classes] output; got {r} and {c}");
            }
            var classes = (int)r.Shape[1];
            var a = OutputMath.ToDoubles(r);
            var b = OutputMath.ToDoubles(c);
            for (var row = 0; row < r.Shape[0]; row++)
            {
                var offset = row * classes;
                agree += ArgMax(a.AsSpan(offset, classes)) == ArgMax(b.AsSpan(offset, classes)) ? 1 : 0;
                rows++;
            }
        }
        return new MetricScore(Name, 1, rows == 0 ? 1 : (double)agree / rows);
    }

    private static int ArgMax(ReadOnlySpan<double> v)
    {
        var best = 0;
        for (var i = 1; i < v.Length; i++)
        {
            if (v[i] > v[best])
            {
                best = i;
            }
        }
        return best;
    }
}
