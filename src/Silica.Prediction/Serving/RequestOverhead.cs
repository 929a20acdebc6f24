namespace Silica.Prediction.Serving;

/// <summary>
/// Latency the platform adds around the batcher and outside its servers (thread hops to wake a worker and to
/// complete the caller, timer lateness past the batching deadline, a load generator's own lateness), given per
/// percentile: at percentile p of the simulated latencies, <see cref="At"/>(p) is added. The slowest simulated
/// requests get the overhead's own tail (the two are taken as comonotone), which is how a measurement at a light
/// load, where nothing queues, decomposes into model time plus platform time (see <see cref="BatcherSimulator.CalibrateOverhead"/>).
/// It does not occupy a server, so it changes latency but not utilization or capacity.
/// </summary>
public sealed record RequestOverhead
{
    private readonly ServiceQuantile[] _quantiles;

    /// <summary>An overhead given at some percentiles; linear between them, flat beyond the outermost.</summary>
    /// <param name="quantiles">At least one (probability 0–1, seconds ≥ 0) pair, probabilities distinct.</param>
    /// <exception cref="ArgumentException">No quantiles, a probability outside 0–1 or repeated, or a negative or non-finite time.</exception>
    public RequestOverhead(IReadOnlyList<ServiceQuantile> quantiles)
    {
        ArgumentNullException.ThrowIfNull(quantiles);
        _quantiles = [.. quantiles.OrderBy(q => q.Probability)];
        if (_quantiles.Length == 0)
        {
            throw new ArgumentException("a request overhead needs at least one quantile", nameof(quantiles));
        }
        for (var k = 0; k < _quantiles.Length; k++)
        {
            var q = _quantiles[k];
            if (!(q.Probability >= 0 && q.Probability <= 1) || (k > 0 && q.Probability == _quantiles[k - 1].Probability))
            {
                throw new ArgumentException($"request overhead probabilities must be distinct and within 0-1 (got {q.Probability})", nameof(quantiles));
            }
            if (!(q.Seconds >= 0) || !double.IsFinite(q.Seconds))
            {
                throw new ArgumentException($"request overhead at probability {q.Probability} must be non-negative and finite (is {q.Seconds} s)", nameof(quantiles));
            }
        }
    }

    /// <summary>No overhead.</summary>
    public static RequestOverhead None { get; } = Constant(TimeSpan.Zero);

    /// <summary>The same overhead at every percentile.</summary>
    /// <param name="overhead">Non-negative.</param>
    /// <returns>The overhead.</returns>
    public static RequestOverhead Constant(TimeSpan overhead) => new([new ServiceQuantile(0.5, overhead.TotalSeconds)]);

    /// <summary>The percentiles it is given at, sorted.</summary>
    public IReadOnlyList<ServiceQuantile> Quantiles => _quantiles;

    /// <summary>Whether it adds nothing anywhere.</summary>
    public bool IsZero => _quantiles.All(q => q.Seconds == 0);

    /// <summary>The overhead at cumulative probability <paramref name="p"/>, in seconds.</summary>
    /// <param name="p">Probability, 0–1.</param>
    /// <returns>Seconds.</returns>
    public double At(double p)
    {
        if (p <= _quantiles[0].Probability)
        {
            return _quantiles[0].Seconds;
        }
        for (var k = 1; k < _quantiles.Length; k++)
        {
            var hi = _quantiles[k];
            if (p <= hi.Probability)
            {
                var lo = _quantiles[k - 1];
                return lo.Seconds + ((p - lo.Probability) / (hi.Probability - lo.Probability) * (hi.Seconds - lo.Seconds));
            }
        }
        return _quantiles[^1].Seconds;
    }

    /// <summary>Value equality over the quantiles.</summary>
    /// <param name="other">The overhead to compare with.</param>
    /// <returns>Whether both give the same quantiles.</returns>
    public bool Equals(RequestOverhead? other) => other is not null && _quantiles.SequenceEqual(other._quantiles);

    /// <summary>Hash consistent with <see cref="Equals(RequestOverhead)"/>.</summary>
    /// <returns>The hash code.</returns>
    public override int GetHashCode() => HashCode.Combine(_quantiles.Length, _quantiles[0], _quantiles[^1]);
}
