using System.Globalization;
using Silica.Advisor.Results;

namespace Silica.Advisor.Claims;

/// <summary>
/// Answers a <see cref="Claim"/> from ranked deployments: each side is its cheapest feasible deployment among the
/// instances it names. The ratio's 90% band combines both sides' log-normal bands; two predictions for devices of the
/// same class share most of their error (same runtime, same efficiency prior), so their errors are taken as correlated
/// (<see cref="SameClassCorrelation"/>) and largely cancel in the ratio. "Uncertain" means the band straddles the claim.
/// </summary>
public static class ClaimEvaluator
{
    /// <summary>
    /// Correlation of the prediction errors of two devices of one class: the class prior (runtime efficiency, overheads)
    /// is common to both, only device-specific deviations differ. An assumption, stated in docs/prediction.md.
    /// </summary>
    public const double SameClassCorrelation = 0.75;

    private const double Z90 = 1.645;

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
        // Unit cost at capacity is what "x% lower cost per inference" claims mean, free of the fleet's rounding.
        var (aC, aLow, aHigh) = claim.Metric == ClaimMetric.Cost ? UnitCost(a) : Capacity(a);
        var (bC, bLow, bHigh) = claim.Metric == ClaimMetric.Cost ? UnitCost(b) : Capacity(b);
        var what = claim.Metric == ClaimMetric.Cost ? "cost per 1M inferences at capacity" : "throughput per instance under the SLO";
        var ratio = aC / bC;
        var (sa, sb) = (Sigma(aLow, aHigh), Sigma(bLow, bHigh));
        var rho = a.DeviceClass == b.DeviceClass && a.Basis == "predicted" && b.Basis == "predicted" ? SameClassCorrelation : 0;
        var sigma = Math.Sqrt(Math.Max(0, (sa * sa) + (sb * sb) - (2 * rho * sa * sb)));
        var low = ratio * Math.Exp(-Z90 * sigma);
        var high = ratio * Math.Exp(Z90 * sigma);
        // Cost claims hold when the ratio is at most the threshold; throughput claims when at least.
        var holds = claim.Metric == ClaimMetric.Cost ? high <= claim.Threshold : low >= claim.Threshold;
        var fails = claim.Metric == ClaimMetric.Cost ? low > claim.Threshold : high < claim.Threshold;
        var verdict = holds ? "yes" : fails ? "no" : "uncertain";
        var c = CultureInfo.InvariantCulture;
        var explanation = string.Create(c,
            $"{what}: {a.InstanceId} {a.Precision} ({a.Basis}) / {b.InstanceId} {b.Precision} ({b.Basis}) = {ratio:0.00} (90% band {low:0.00}-{high:0.00}{(rho > 0 ? ", same device class: errors correlated" : "")}); the claim needs {(claim.Metric == ClaimMetric.Cost ? "<=" : ">=")} {claim.Threshold:0.00}");
        return new ClaimVerdict(claim.Text, verdict, ratio, low, high, claim.Threshold, explanation);
    }

    private static Deployment? Best(IReadOnlyList<Deployment> deployments, string target, Func<Deployment, string, bool> matches) =>
        deployments.Where(d => d.Feasible && d.CostPerMillionAtCapacity is not null && matches(d, target)).MinBy(d => d.CostPerMillionAtCapacity);

    private static (double Central, double Low, double High) UnitCost(Deployment d) =>
        (d.CostPerMillionAtCapacity!.Value, d.CostPerMillionAtCapacityLow ?? d.CostPerMillionAtCapacity.Value, d.CostPerMillionAtCapacityHigh ?? double.PositiveInfinity);

    /// <summary>The log-normal sigma of a 90% band; an unbounded band gives an infinite sigma (always uncertain).</summary>
    private static double Sigma(double low, double high) =>
        low > 0 && high >= low ? Math.Log(high / low) / (2 * Z90) : double.PositiveInfinity;

    private static (double Central, double Low, double High) Capacity(Deployment d) =>
        (d.CapacityQpsPerInstance, d.CapacityQpsPerInstanceLow, d.CapacityQpsPerInstanceHigh);
}
