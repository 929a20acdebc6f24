namespace Silica.Prediction.Serving;

/// <summary>
/// Simulates a dynamic batcher (the policy of Silica.Runtime's <c>DynamicBatcher</c>) under Poisson arrivals, to
/// predict latency percentiles and the capacity at a p99 bound from a batch service-time curve, without running
/// the model. Runs are exact discrete-event simulations and repeat for a given seed.
/// </summary>
public static class BatcherSimulator
{
    /// <summary>Search precision: bisection stops when the bracket is within this ratio.</summary>
    private const double Precision = 1.005;

    /// <summary>Grid step of the downward scan that brackets the capacity.</summary>
    private static readonly double ScanStep = Math.Sqrt(2);

    /// <summary>Simulates <paramref name="arrivalQps"/> requests per second arriving as a Poisson process.</summary>
    /// <param name="policy">The batcher.</param>
    /// <param name="service">Service time per batch.</param>
    /// <param name="arrivalQps">Mean arrival rate, requests per second.</param>
    /// <param name="options">Run length and seed; defaults when null.</param>
    /// <returns>Latency percentiles, batch size, utilization and rejections over the measured requests.</returns>
    /// <exception cref="ArgumentException">The policy or options are invalid, or the rate is not positive and finite.</exception>
    public static SimulationResult Run(BatcherPolicy policy, IServiceTimeModel service, double arrivalQps, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(service);
        policy.Validate();
        options ??= new SimulationOptions();
        options.Validate();
        if (!(arrivalQps > 0) || !double.IsFinite(arrivalQps))
        {
            throw new ArgumentException($"arrival rate must be positive and finite (is {arrivalQps})", nameof(arrivalQps));
        }
        return new BatcherSimulation(policy, service, arrivalQps, options).Run(arrivalQps);
    }

    /// <summary>
    /// The highest arrival rate whose simulated p99 is within <paramref name="sloP99"/> with no rejections and
    /// without saturating. Every rate is simulated with the same seed (common random numbers), so the comparison
    /// between rates is not blurred by sampling noise. A scan down from an upper bound on throughput in steps of √2
    /// finds the highest passing rate on that grid (p99 is not monotone in the rate under a batching delay: more
    /// arrivals fill batches sooner), then bisection between it and the failing rate above narrows it to 0.5%.
    /// </summary>
    /// <param name="policy">The batcher.</param>
    /// <param name="service">Service time per batch.</param>
    /// <param name="sloP99">The p99 latency bound.</param>
    /// <param name="options">Run length and seed of every simulated rate; defaults when null.</param>
    /// <returns>The rate (0 when even a rate 1000 times below the throughput bound misses the bound) and the run at it.</returns>
    /// <exception cref="ArgumentException">The policy or options are invalid, or the bound is not positive.</exception>
    public static CapacityResult MaxQps(BatcherPolicy policy, IServiceTimeModel service, TimeSpan sloP99, SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(service);
        policy.Validate();
        options ??= new SimulationOptions();
        options.Validate();
        if (sloP99 <= TimeSpan.Zero)
        {
            throw new ArgumentException($"the p99 bound must be positive (is {sloP99})", nameof(sloP99));
        }
        var slo = sloP99.TotalSeconds;
        var iterations = 0;
        SimulationResult At(double qps)
        {
            iterations++;
            return new BatcherSimulation(policy, service, qps, options).Run(qps);
        }
        bool Passes(SimulationResult r) => r.P99Seconds <= slo && r.RejectedFraction == 0 && !r.Saturated;

        var bound = ThroughputBound(policy, service);
        var floor = bound / 1000;
        // Scan down from the bound to the first passing rate.
        double failing = double.NaN;
        var rate = bound;
        SimulationResult? best = null;
        SimulationResult? lowest = null;
        while (rate >= floor)
        {
            var r = At(rate);
            lowest = r;
            if (Passes(r))
            {
                best = r;
                break;
            }
            failing = rate;
            rate /= ScanStep;
        }
        if (best is null)
        {
            return new CapacityResult(0, lowest!, iterations);
        }
        // The bound is an upper limit on throughput, so a pass there means a rate that light still passes: climb.
        while (double.IsNaN(failing) && iterations < 64)
        {
            var r = At(rate * 2);
            if (Passes(r))
            {
                best = r;
                rate *= 2;
            }
            else
            {
                failing = rate * 2;
            }
        }
        var passing = rate;
        while (!double.IsNaN(failing) && failing / passing > Precision)
        {
            var mid = Math.Sqrt(passing * failing);
            var r = At(mid);
            if (Passes(r))
            {
                passing = mid;
                best = r;
            }
            else
            {
                failing = mid;
            }
        }
        return new CapacityResult(passing, best, iterations);
    }

    /// <summary>
    /// Measures what the platform adds around the batcher from a run of the real batcher at a light load (where
    /// almost nothing queues): simulates that rate with no overhead and takes the gap to the measurement at p50, p90
    /// and p99 (never below zero). Applied at other rates through <see cref="SimulationOptions.Overhead"/>, it
    /// carries thread wake-ups, timer lateness and the load generator's own tail, which a service-time curve measured
    /// one query at a time does not see, to the loads being predicted.
    /// </summary>
    /// <param name="policy">The batcher the measurement ran.</param>
    /// <param name="service">Service time per batch.</param>
    /// <param name="measuredQps">The arrival rate of the measurement.</param>
    /// <param name="measured">Its latency percentiles.</param>
    /// <param name="options">Run length and seed; its overhead is ignored.</param>
    /// <returns>The overhead at p50, p90 and p99.</returns>
    /// <exception cref="ArgumentException">The policy or options are invalid, the rate is not positive, or a percentile is not finite.</exception>
    public static RequestOverhead CalibrateOverhead(BatcherPolicy policy, IServiceTimeModel service, double measuredQps, MeasuredLatency measured,
        SimulationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(measured);
        if (!double.IsFinite(measured.P50Seconds) || !double.IsFinite(measured.P90Seconds) || !double.IsFinite(measured.P99Seconds))
        {
            throw new ArgumentException("measured latency percentiles must be finite", nameof(measured));
        }
        var simulated = Run(policy, service, measuredQps, (options ?? new SimulationOptions()) with { Overhead = RequestOverhead.None });
        return new RequestOverhead(
        [
            new ServiceQuantile(0.5, Math.Max(0, measured.P50Seconds - simulated.P50Seconds)),
            new ServiceQuantile(0.9, Math.Max(0, measured.P90Seconds - simulated.P90Seconds)),
            new ServiceQuantile(0.99, Math.Max(0, measured.P99Seconds - simulated.P99Seconds)),
        ]);
    }

    /// <summary>
    /// Requests per second the servers could complete if every batch ran at the best size at its median time: an
    /// upper bound on the sustainable rate (mean service times are at least the median for lognormal draws).
    /// </summary>
    internal static double ThroughputBound(BatcherPolicy policy, IServiceTimeModel service)
    {
        var best = 0.0;
        for (var n = 1; n * policy.RowsPerRequest <= policy.MaxBatchSize; n++)
        {
            best = Math.Max(best, n / service.Median(policy.PaddedSize(n * policy.RowsPerRequest)));
        }
        return best * policy.Servers;
    }
}
