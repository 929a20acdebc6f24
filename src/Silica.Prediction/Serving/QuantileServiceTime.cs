namespace Silica.Prediction.Serving;

/// <summary>
/// Service times drawn from measured quantiles rather than a two-parameter fit: a draw picks a uniform
/// probability and reads the service time off each batch size's quantile function, linear between the measured
/// quantiles (so a measurement's min, p50, p90, p95, p99, p99.9 and max are all reproduced, including a tail far
/// heavier than lognormal, such as stalls on a shared machine). Between batch sizes the quantile functions are
/// interpolated linearly in batch size; below the smallest batch size the smallest holds; beyond the largest they
/// are extrapolated linearly from the last two (never below the last), or, with one size only, in proportion to rows.
/// </summary>
public sealed class QuantileServiceTime : IServiceTimeModel
{
    private readonly double[] _batches;
    private readonly double[][] _probabilities;
    private readonly double[][] _seconds;

    /// <summary>Builds the model.</summary>
    /// <param name="distributions">At least one batch size; sizes distinct and at least 1; quantile times positive and finite.</param>
    /// <exception cref="ArgumentException">The distributions are empty or hold an invalid size, probability or time.</exception>
    public QuantileServiceTime(IReadOnlyList<ServiceDistribution> distributions)
    {
        ArgumentNullException.ThrowIfNull(distributions);
        if (distributions.Count == 0)
        {
            throw new ArgumentException("a service-time distribution needs at least one batch size", nameof(distributions));
        }
        var sorted = distributions.OrderBy(d => d.Batch).ToArray();
        _batches = new double[sorted.Length];
        _probabilities = new double[sorted.Length][];
        _seconds = new double[sorted.Length][];
        for (var i = 0; i < sorted.Length; i++)
        {
            var d = sorted[i];
            if (d.Batch < 1 || (i > 0 && d.Batch == sorted[i - 1].Batch))
            {
                throw new ArgumentException($"service distribution batch sizes must be distinct and at least 1 (got {d.Batch})", nameof(distributions));
            }
            var quantiles = d.Quantiles.OrderBy(q => q.Probability).ToArray();
            if (quantiles.Length == 0)
            {
                throw new ArgumentException($"service distribution at batch {d.Batch} has no quantiles", nameof(distributions));
            }
            _batches[i] = d.Batch;
            _probabilities[i] = new double[quantiles.Length];
            _seconds[i] = new double[quantiles.Length];
            for (var k = 0; k < quantiles.Length; k++)
            {
                var q = quantiles[k];
                if (!(q.Probability >= 0 && q.Probability <= 1) || (k > 0 && q.Probability == quantiles[k - 1].Probability))
                {
                    throw new ArgumentException($"service distribution at batch {d.Batch}: probabilities must be distinct and within 0-1 (got {q.Probability})", nameof(distributions));
                }
                if (!(q.Seconds > 0) || !double.IsFinite(q.Seconds))
                {
                    throw new ArgumentException($"service distribution at batch {d.Batch}: time at probability {q.Probability} must be positive and finite (is {q.Seconds} s)", nameof(distributions));
                }
                _probabilities[i][k] = q.Probability;
                // Quantiles measured from a histogram can disagree by a rounding step; a quantile function never falls.
                _seconds[i][k] = k > 0 ? Math.Max(q.Seconds, _seconds[i][k - 1]) : q.Seconds;
            }
        }
    }

    /// <inheritdoc/>
    public double Median(int rows) => Quantile(rows, 0.5);

    /// <inheritdoc/>
    public double Sample(int rows, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return Quantile(rows, random.NextDouble());
    }

    /// <summary>The service time of a batch of <paramref name="rows"/> rows at cumulative probability <paramref name="p"/>.</summary>
    /// <param name="rows">Rows in the batch.</param>
    /// <param name="p">Probability, 0–1.</param>
    /// <returns>Seconds.</returns>
    public double Quantile(int rows, double p)
    {
        var n = _batches.Length;
        if (rows <= _batches[0])
        {
            return At(0, p);
        }
        if (rows >= _batches[n - 1])
        {
            var last = At(n - 1, p);
            if (n == 1)
            {
                return last * rows / _batches[0];
            }
            var slope = (last - At(n - 2, p)) / (_batches[n - 1] - _batches[n - 2]);
            return Math.Max(last, last + (slope * (rows - _batches[n - 1])));
        }
        var i = 1;
        while (_batches[i] < rows)
        {
            i++;
        }
        var f = (rows - _batches[i - 1]) / (_batches[i] - _batches[i - 1]);
        var lo = At(i - 1, p);
        return lo + (f * (At(i, p) - lo));
    }

    /// <summary>Batch size <paramref name="i"/>'s quantile function: linear between measured quantiles, flat beyond the outermost.</summary>
    private double At(int i, double p)
    {
        var ps = _probabilities[i];
        var ts = _seconds[i];
        if (p <= ps[0])
        {
            return ts[0];
        }
        for (var k = 1; k < ps.Length; k++)
        {
            if (p <= ps[k])
            {
                return ts[k - 1] + ((p - ps[k - 1]) / (ps[k] - ps[k - 1]) * (ts[k] - ts[k - 1]));
            }
        }
        return ts[^1];
    }
}
