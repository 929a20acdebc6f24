namespace Silica.Hardware;

/// <summary>
/// The arithmetic between a price per hour and a throughput: cost per million inferences or tokens, replicas for a
/// target load, and the hourly bill.
/// </summary>
public static class CostMath
{
    private const double SecondsPerHour = 3600.0;
    private const double Million = 1e6;

    /// <summary><c>price_per_hour / (3600 x inferences_per_s) x 1e6</c>: USD per one million inferences at full load.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The price is negative or the throughput not positive.</exception>
    public static double DollarsPerMillionInferences(double pricePerHour, double inferencesPerSecond) =>
        PerMillion(pricePerHour, inferencesPerSecond);

    /// <summary><c>price_per_hour / (3600 x tokens_per_s) x 1e6</c>: USD per one million tokens at full load.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The price is negative or the throughput not positive.</exception>
    public static double DollarsPerMillionTokens(double pricePerHour, double tokensPerSecond) =>
        PerMillion(pricePerHour, tokensPerSecond);

    /// <summary>
    /// Replicas needed to serve <paramref name="targetQps"/> when each sustains <paramref name="perReplicaQps"/>
    /// (within the latency bound): <c>ceil(target / per_replica)</c>, at least 1.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The target is negative or the capacity not positive.</exception>
    public static int ReplicasFor(double targetQps, double perReplicaQps)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(targetQps);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perReplicaQps);
        // A hair of tolerance so that 3.0000000000000004 replicas (floating-point noise) is 3, not 4.
        var replicas = Math.Ceiling((targetQps / perReplicaQps) - 1e-9);
        return replicas > int.MaxValue ? int.MaxValue : Math.Max(1, (int)replicas);
    }

    /// <summary>USD per hour for <paramref name="replicas"/> instances at <paramref name="pricePerHour"/> each.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The price or the replica count is negative.</exception>
    public static double HourlyCost(double pricePerHour, int replicas)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pricePerHour);
        ArgumentOutOfRangeException.ThrowIfNegative(replicas);
        return pricePerHour * replicas;
    }

    private static double PerMillion(double pricePerHour, double perSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(pricePerHour);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        return pricePerHour / (SecondsPerHour * perSecond) * Million;
    }
}
