namespace Silica.Prediction.Serving;

/// <summary>
/// Service times read off a batch-latency curve: measured (<c>silica bench --scenario singlestream</c>) or
/// predicted points of (batch, p50, p99). Between points the median and the log-spread ln(p99/p50) are
/// interpolated linearly in batch size; below the smallest point the smallest point's values hold; beyond the
/// largest the median is extrapolated linearly from the last two points (never below the last median) and the
/// spread of the last point holds. A curve of one point grows in proportion to rows beyond it (no batching gain
/// is assumed where none was measured). Draws are lognormal with the point's median and
/// σ = ln(p99/p50) / 2.326, so the draws' 99th percentile is the curve's p99; σ is 0 (every draw is the median)
/// where p99 ≤ p50.
/// </summary>
public sealed class CurveServiceTime : IServiceTimeModel
{
    /// <summary>The standard normal quantile at 0.99.</summary>
    private const double Z99 = 2.3263478740408408;

    private readonly double[] _batches;
    private readonly double[] _medians;
    private readonly double[] _sigmas;

    /// <summary>Builds the curve.</summary>
    /// <param name="points">At least one point; batch sizes distinct and at least 1, times positive and finite.</param>
    /// <exception cref="ArgumentException">The points are empty, repeat a batch size, or hold a non-positive or non-finite time.</exception>
    public CurveServiceTime(IReadOnlyList<ServicePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        if (points.Count == 0)
        {
            throw new ArgumentException("a service-time curve needs at least one point", nameof(points));
        }
        var sorted = points.OrderBy(p => p.Batch).ToArray();
        _batches = new double[sorted.Length];
        _medians = new double[sorted.Length];
        _sigmas = new double[sorted.Length];
        for (var i = 0; i < sorted.Length; i++)
        {
            var p = sorted[i];
            if (p.Batch < 1)
            {
                throw new ArgumentException($"service point batch must be at least 1 (is {p.Batch})", nameof(points));
            }
            if (i > 0 && p.Batch == sorted[i - 1].Batch)
            {
                throw new ArgumentException($"service points repeat batch {p.Batch}", nameof(points));
            }
            if (!(p.P50Seconds > 0) || !double.IsFinite(p.P50Seconds) || !(p.P99Seconds > 0) || !double.IsFinite(p.P99Seconds))
            {
                throw new ArgumentException($"service point at batch {p.Batch} needs positive, finite p50 and p99 (are {p.P50Seconds} s and {p.P99Seconds} s)", nameof(points));
            }
            _batches[i] = p.Batch;
            _medians[i] = p.P50Seconds;
            _sigmas[i] = p.P99Seconds > p.P50Seconds ? Math.Log(p.P99Seconds / p.P50Seconds) / Z99 : 0;
        }
    }

    /// <summary>The points, sorted by batch size.</summary>
    public IReadOnlyList<ServicePoint> Points => [.. _batches.Select((b, i) => new ServicePoint((int)b, _medians[i], _medians[i] * Math.Exp(_sigmas[i] * Z99)))];

    /// <inheritdoc/>
    public double Median(int rows) => Lookup(rows).Median;

    /// <summary>The lognormal σ of the service time of a batch of <paramref name="rows"/> rows (0: deterministic).</summary>
    /// <param name="rows">Rows in the batch.</param>
    /// <returns>σ of ln(service time).</returns>
    public double Sigma(int rows) => Lookup(rows).Sigma;

    /// <inheritdoc/>
    public double Sample(int rows, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var (median, sigma) = Lookup(rows);
        return sigma == 0 ? median : median * Math.Exp(sigma * StandardNormal(random));
    }

    /// <summary>A standard normal draw (Box–Muller; one of the pair is discarded to keep the generator stateless).</summary>
    internal static double StandardNormal(Random random)
    {
        var u1 = 1.0 - random.NextDouble(); // (0, 1]: the logarithm stays finite
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private (double Median, double Sigma) Lookup(int rows)
    {
        var n = _batches.Length;
        if (rows <= _batches[0])
        {
            return (_medians[0], _sigmas[0]);
        }
        if (rows >= _batches[n - 1])
        {
            var last = _medians[n - 1];
            if (n == 1)
            {
                return (last * rows / _batches[0], _sigmas[0]);
            }
            var slope = (last - _medians[n - 2]) / (_batches[n - 1] - _batches[n - 2]);
            return (Math.Max(last, last + (slope * (rows - _batches[n - 1]))), _sigmas[n - 1]);
        }
        var i = 1;
        while (_batches[i] < rows)
        {
            i++;
        }
        var f = (rows - _batches[i - 1]) / (_batches[i] - _batches[i - 1]);
        return (_medians[i - 1] + (f * (_medians[i] - _medians[i - 1])), _sigmas[i - 1] + (f * (_sigmas[i] - _sigmas[i - 1])));
    }
}
