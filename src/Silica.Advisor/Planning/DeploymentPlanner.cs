using System.Globalization;
using Silica.Hardware;
using Silica.Prediction.Serving;

namespace Silica.Advisor.Planning;

/// <summary>
/// Chooses the batcher setting (largest batch, queue delay) for one replica layout by simulating the batcher under
/// Poisson arrivals on the replica's service curve, then sizes the fleet: the highest load a replica serves under the
/// SLO, instances for the required load, and the p99 they give at it. The load balancer is assumed to spread requests
/// evenly at random, so each replica sees a Poisson stream of its share.
/// </summary>
public static class DeploymentPlanner
{
    /// <summary>Simulation length for the capacity search: enough requests for a stable p99, quick enough for hundreds of targets.</summary>
    public static SimulationOptions SearchOptions { get; } = new() { Requests = 6000, WarmupRequests = 500, Seed = 7 };

    /// <summary>Plans one layout; <paramref name="replicasPerInstance"/> replicas share each instance.</summary>
    public static ReplicaPlan Plan(ServiceCurve curve, int replicasPerInstance, double requiredQps, TimeSpan slo)
    {
        ArgumentNullException.ThrowIfNull(curve);
        var sloSeconds = slo.TotalSeconds;
        var usable = curve.Points.Where(p => p.Seconds * p.Jitter < sloSeconds).ToList();
        if (usable.Count == 0)
        {
            var fastest = curve.Points.Count > 0 ? curve.Points.MinBy(p => p.Seconds)! : null;
            return ReplicaPlan.Infeasible(fastest is null
                ? "no batch size fits in memory"
                : string.Create(CultureInfo.InvariantCulture, $"one run of batch {fastest.Batch} takes {fastest.Seconds * 1e3:0.#} ms, over the {sloSeconds * 1e3:0.###} ms p99 SLO"));
        }
        var service = curve.ServiceTimes();
        var candidates = new List<(BatcherPolicy Policy, double Capacity)>();
        foreach (var point in usable)
        {
            // No delay, or wait up to a tenth of the SLO for a batch to fill: the two settings worth having at a p99 bound.
            foreach (var delay in new[] { TimeSpan.Zero, slo / 10 })
            {
                if (point.Batch == 1 && delay > TimeSpan.Zero)
                {
                    continue;
                }
                var policy = new BatcherPolicy { MaxBatchSize = point.Batch, MaxQueueDelay = delay, Servers = 1 };
                var capacity = BatcherSimulator.MaxQps(policy, service, slo, SearchOptions).MaxQps;
                if (capacity > 0)
                {
                    candidates.Add((policy, capacity));
                }
            }
        }
        if (candidates.Count == 0)
        {
            return ReplicaPlan.Infeasible("no batcher setting meets the p99 SLO even at a trickle of load");
        }
        // Fewest instances first (that is the bill); among settings that need as few, the lowest p99 at the load they
        // would actually see — a long queue delay buys capacity the load may not need.
        var fewest = candidates.Min(c => InstancesFor(requiredQps, c.Capacity, replicasPerInstance));
        var (best, bestCapacity) = candidates
            .Where(c => InstancesFor(requiredQps, c.Capacity, replicasPerInstance) == fewest)
            .Select(c => (c, P99: BatcherSimulator.Run(c.Policy, service, requiredQps / (fewest * (double)replicasPerInstance), SearchOptions).P99Seconds))
            .MinBy(x => x.P99).c;
        var fastCapacity = BatcherSimulator.MaxQps(best, curve.ServiceTimes(-1), slo, SearchOptions).MaxQps;
        var slowCapacity = BatcherSimulator.MaxQps(best, curve.ServiceTimes(+1), slo, SearchOptions).MaxQps;
        fastCapacity = Math.Max(fastCapacity, bestCapacity);
        // The most a replica can serve under the SLO, with the batcher set for throughput: the unit-cost basis.
        var peak = candidates.MaxBy(c => c.Capacity);
        var peakCapacity = peak.Policy == best
            ? (bestCapacity, fastCapacity, Math.Min(slowCapacity, bestCapacity))
            : (peak.Capacity,
                Math.Max(peak.Capacity, BatcherSimulator.MaxQps(peak.Policy, curve.ServiceTimes(-1), slo, SearchOptions).MaxQps),
                Math.Min(peak.Capacity, BatcherSimulator.MaxQps(peak.Policy, curve.ServiceTimes(+1), slo, SearchOptions).MaxQps));
        var instances = fewest;
        var load = requiredQps / (instances * (double)replicasPerInstance);
        var central = BatcherSimulator.Run(best, service, load, SearchOptions);
        var fast = BatcherSimulator.Run(best, curve.ServiceTimes(-1), load, SearchOptions);
        var slow = BatcherSimulator.Run(best, curve.ServiceTimes(+1), load, SearchOptions);
        return new ReplicaPlan
        {
            Feasible = true,
            Policy = best,
            ReplicaCapacity = (bestCapacity, fastCapacity, Math.Min(slowCapacity, bestCapacity)),
            PeakReplicaCapacity = peakCapacity,
            Instances = (instances, InstancesFor(requiredQps, fastCapacity, replicasPerInstance), InstancesFor(requiredQps, slowCapacity, replicasPerInstance)),
            P99Seconds = (central.P99Seconds, Math.Min(fast.P99Seconds, central.P99Seconds), Math.Max(slow.P99Seconds, central.P99Seconds)),
            Utilization = central.Utilization,
            ReplicaLoad = load,
        };
    }

    /// <summary>Instances for a load; int.MaxValue when a replica serves nothing under the SLO (slow end of a band).</summary>
    private static int InstancesFor(double qps, double replicaCapacity, int replicasPerInstance) =>
        replicaCapacity > 0 ? CostMath.ReplicasFor(qps, replicaCapacity * replicasPerInstance) : int.MaxValue;
}
