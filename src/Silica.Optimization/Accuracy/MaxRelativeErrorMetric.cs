using Silica.Optimization.Data;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Accuracy;

/// <summary>
/// The largest error relative to the output's scale (<c>max|candidate - original| / max|original|</c>), over
/// all outputs and samples. Reported as <c>1 - error</c> so that, like every metric, higher is better and the
/// <see cref="MetricScore.Drop"/> is the error itself. Meant for the report: a single outlier element moves it,
/// so it is a poor gate on its own.
/// </summary>
public sealed class MaxRelativeErrorMetric : IAccuracyMetric
{
    /// <inheritdoc/>
    public string Name => "max relative error";

    /// <inheritdoc/>
    public MetricScore Score(SampleSet samples, IReadOnlyList<IReadOnlyList<Tensor>> reference, IReadOnlyList<IReadOnlyList<Tensor>> candidate)
    {
        var comparisons = OutputComparer.Compare(null, reference, candidate);
        var error = comparisons.Count == 0 ? 0 : comparisons.Max(c => c.MaxRelativeError);
        return new MetricScore(Name, 1, 1 - error);
    }
}
