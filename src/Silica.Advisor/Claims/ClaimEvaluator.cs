using System.Globalization;
using Silica.Advisor.Results;

namespace Silica.Advisor.Claims;

/// <summary>
/// Answers a <see cref="Claim"/> from ranked deployments: each side is its cheapest feasible deployment among the
/// instances it names; the ratio's band combines both sides' bands (worst case), so "uncertain" means the band straddles
/// the claimed ratio.
/// </summary>
public static class ClaimEvaluator
{
    /// <summary>The verdict on one claim.</summary>
    public static ClaimVerdict Evaluate(Claim claim, IReadOnlyList<Deployment> deployments, Func<Deployment, string, bool> matches)
    {
        ArgumentNullException.ThrowIfNull(claim);
        ArgumentNullException.ThrowIfNull(deployments);
        ArgumentNullException.ThrowIfNull(matches);
        var a = Best(deployments, claim.Subject, matches);
        var b = Best(deployments, claim.Reference, matches);
        if (a is null || b is null)
        {
            var missing = a is null ? claim.Subject : claim.Reference;
            return new ClaimVerdict(claim.Text, "uncertain", double.NaN, double.NaN, double.NaN, claim.Threshold,
                $"no feasible, priced deployment of '{missing}' under this SLO, so the claim cannot be checked");
        }
        double ratio, low, high;
        string what;
        if (claim.Metric == ClaimMetric.Cost)
        {
            // Unit cost at capacity: what "x% lower cost per inference" claims mean, independent of the fleet's rounding.
            var (aC, aLow, aHigh) = UnitCost(a);
            var (bC, bLow, bHigh) = UnitCost(b);
            ratio = aC / bC;
            low = aLow / bHigh;
            high = aHigh / bLow;
            what = "cost per 1M inferences at capacity";
        }
        else
        {
            var (aC, aF, aS) = Capacity(a);
            var (bC, bF, bS) = Capacity(b);
            ratio = aC / bC;
            low = aS / bF;
            high = aF / bS;
            what = "throughput per instance under the SLO";
        }
        // Cost claims hold when the ratio is at most the threshold; throughput claims when at least.
        var holds = claim.Metric == ClaimMetric.Cost ? high <= claim.Threshold : low >= claim.Threshold;
        var fails = claim.Metric == ClaimMetric.Cost ? low > claim.Threshold : high < claim.Threshold;
        var verdict = holds ? "yes" : fails ? "no" : "uncertain";
        var c = CultureInfo.InvariantCulture;
        var explanation = string.Create(c,
            $"{what}: {a.InstanceId} {a.Precision} ({a.Basis}) / {b.InstanceId} {b.Precision} ({b.Basis}) = {ratio:0.00} (90% band {low:0.00}-{high:0.00}); the claim needs {(claim.Metric == ClaimMetric.Cost ? "<=" : ">=")} {claim.Threshold:0.00}");
        return new ClaimVerdict(claim.Text, verdict, ratio, low, high, claim.Threshold, explanation);
    }

    private static Deployment? Best(IReadOnlyList<Deployment> deployments, string target, Func<Deployment, string, bool> matches) =>
        deployments.Where(d => d.Feasible && d.CostPerMillionAtCapacity is not null && matches(d, target)).MinBy(d => d.CostPerMillionAtCapacity);

    private static (double Central, double Low, double High) UnitCost(Deployment d) =>
        (d.CostPerMillionAtCapacity!.Value, d.CostPerMillionAtCapacityLow ?? d.CostPerMillionAtCapacity.Value, d.CostPerMillionAtCapacityHigh ?? double.PositiveInfinity);

    private static (double Central, double Fast, double Slow) Capacity(Deployment d) =>
        (d.CapacityQpsPerInstance, d.CapacityQpsPerInstanceHigh, d.CapacityQpsPerInstanceLow);
}
