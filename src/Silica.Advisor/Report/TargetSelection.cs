using Silica.Advisor.Results;

namespace Silica.Advisor.Report;

/// <summary>
/// Chooses which per-target series a chart draws when there are more than it can show legibly: what was
/// measured here first, then the targets of the best-ranked deployments, then the rest in document order.
/// </summary>
internal static class TargetSelection
{
    /// <summary>The most series one chart draws; more and the colours stop being distinguishable.</summary>
    public const int MaxSeries = 12;

    /// <summary>Up to <paramref name="max"/> curves, in the order above; each chosen curve at most once.</summary>
    public static IReadOnlyList<TargetCurve> Curves(CompareResults results, int max = MaxSeries) =>
        Pick(results.Curves, c => (c.InstanceId, c.Precision), c => Figure.IsMeasured(c.Basis), results.Deployments, max);

    /// <summary>Up to <paramref name="max"/> breakdowns, in the order above.</summary>
    public static IReadOnlyList<TimeBreakdown> Breakdowns(CompareResults results, int max = MaxSeries) =>
        Pick(results.Breakdowns, b => (b.InstanceId, b.Precision), _ => false, results.Deployments, max);

    private static List<T> Pick<T>(
        IReadOnlyList<T> items,
        Func<T, (string InstanceId, string Precision)> target,
        Func<T, bool> measured,
        IReadOnlyList<Deployment> deployments,
        int max)
        where T : class
    {
        var chosen = new List<T>();
        var taken = new HashSet<T>(ReferenceEqualityComparer.Instance);

        void Take(T item)
        {
            if (chosen.Count < max && taken.Add(item))
            {
                chosen.Add(item);
            }
        }

        foreach (var item in items.Where(measured))
        {
            Take(item);
        }

        var ranked = deployments.Where(d => d.Feasible).OrderBy(d => d.Rank <= 0 ? int.MaxValue : d.Rank);
        foreach (var d in ranked)
        {
            foreach (var item in items.Where(i => target(i) == (d.InstanceId, d.Precision)))
            {
                Take(item);
            }
        }

        foreach (var item in items)
        {
            Take(item);
        }

        return chosen;
    }
}
