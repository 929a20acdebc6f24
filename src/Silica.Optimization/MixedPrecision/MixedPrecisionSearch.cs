using System.Globalization;
using Silica.Onnx.Graph;
using Silica.Optimization.Accuracy;
using Silica.Optimization.Data;
using Silica.Optimization.Evaluation;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.MixedPrecision;

/// <summary>
/// Finds the fewest layers to keep in higher precision so a lowered model (INT8, FP8, FP16, BF16) stays within an
/// accuracy budget.
/// </summary>
/// <remarks>
/// Sensitivity is measured <em>keep-one-out</em>: lower everything except one layer and see how much the score
/// recovers. Lowering one layer at a time instead would miss interactions (errors that compound across layers)
/// and measures a different quantity from the one the greedy step needs, which is exactly "how much do I gain by
/// keeping this layer" in a model where the rest is lowered. Cost is bounded: at most
/// <see cref="MaxProbes"/> probes (consecutive layers are measured as groups beyond that) on at most
/// <see cref="MaxSensitivitySamples"/> samples; then layers are kept greedily, most sensitive first, re-evaluating
/// on the whole set after each step (steps grow after eight, so the search ends in O(probes + log layers) builds).
/// </remarks>
public static class MixedPrecisionSearch
{
    /// <summary>The most sensitivity probes (candidate builds) the search makes.</summary>
    public const int MaxProbes = 48;

    /// <summary>The most samples each sensitivity probe is scored on.</summary>
    public const int MaxSensitivitySamples = 8;

    private static readonly HashSet<string> LayerOps = ["Conv", "ConvTranspose", "MatMul", "Gemm"];

    /// <summary>Runs the search.</summary>
    /// <param name="original">The reference model (not changed).</param>
    /// <param name="buildCandidate">Builds the lowered model, keeping the given node names in higher precision.</param>
    /// <param name="evaluation">The samples to score on.</param>
    /// <param name="metric">The metric whose drop must stay within the budget.</param>
    /// <param name="budget">Allowed drop in absolute fraction (0.005 = half a point).</param>
    /// <param name="progress">Receives one line per step.</param>
    /// <exception cref="ArgumentException">The evaluation set is empty or the budget is negative.</exception>
    public static MixedPrecisionResult Run(OnnxModel original, Func<IReadOnlySet<string>, OnnxModel> buildCandidate, SampleSet evaluation,
        IAccuracyMetric metric, double budget, IProgress<string>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(buildCandidate);
        ArgumentNullException.ThrowIfNull(evaluation);
        ArgumentNullException.ThrowIfNull(metric);
        if (evaluation.Samples.Count == 0)
        {
            throw new ArgumentException("the evaluation set is empty", nameof(evaluation));
        }
        if (budget < 0 || double.IsNaN(budget))
        {
            throw new ArgumentException($"the accuracy budget must be a non-negative fraction, got {budget}", nameof(budget));
        }
        var reference = ModelEvaluator.Run(original, evaluation);
        var evaluations = 0;
        MetricScore Score(OnnxModel candidate, SampleSet set, IReadOnlyList<IReadOnlyList<Tensor>> refs)
        {
            evaluations++;
            return metric.Score(set, refs, ModelEvaluator.Run(candidate, set));
        }

        var full = buildCandidate(new HashSet<string>(StringComparer.Ordinal));
        var fullScore = Score(full, evaluation, reference);
        progress?.Report(Line($"all layers lowered: {metric.Name} {fullScore.Candidate:F5} (drop {fullScore.Drop:F5}, budget {budget:F5})"));
        if (fullScore.Drop <= budget)
        {
            return new MixedPrecisionResult(fullScore, fullScore, true, budget, [], [], full, evaluations, "none needed");
        }

        var groups = Groups(original, full);
        var probeSet = evaluation.Samples.Count <= MaxSensitivitySamples
            ? evaluation
            : evaluation with { Samples = [.. evaluation.Samples.Take(MaxSensitivitySamples)] };
        var probeRefs = reference.Take(probeSet.Samples.Count).ToList();
        var baseline = probeSet == evaluation ? fullScore : Score(full, probeSet, probeRefs);
        var sensitivities = new List<LayerSensitivity>();
        foreach (var group in groups)
        {
            var keep = new HashSet<string>(group.Select(n => n.Name), StringComparer.Ordinal);
            var s = Score(buildCandidate(keep), probeSet, probeRefs);
            sensitivities.Add(new LayerSensitivity([.. keep], group[0].OpType, s.Candidate - baseline.Candidate));
            progress?.Report(Line($"sensitivity {string.Join("+", keep)}: {s.Candidate - baseline.Candidate:+0.00000;-0.00000}"));
        }
        sensitivities.Sort((a, b) => b.Sensitivity.CompareTo(a.Sensitivity));

        var kept = new List<LayerSensitivity>();
        var model = full;
        var score = fullScore;
        var next = 0;
        while (score.Drop > budget && next < sensitivities.Count)
        {
            // One layer at a time for the first eight, then doubling steps: the tail rarely matters one by one.
            var step = kept.Count < 8 ? 1 : kept.Count;
            kept.AddRange(sensitivities.Skip(next).Take(step));
            next = kept.Count;
            model = buildCandidate(kept.SelectMany(k => k.Nodes).ToHashSet(StringComparer.Ordinal));
            score = Score(model, evaluation, reference);
            progress?.Report(Line($"keeping {kept.Count} layer group(s): {metric.Name} {score.Candidate:F5} (drop {score.Drop:F5})"));
        }
        var method = groups.Any(g => g.Count > 1)
            ? $"keep-one-out over {groups.Count} groups of consecutive layers on {probeSet.Samples.Count} samples"
            : $"keep-one-out per layer on {probeSet.Samples.Count} samples";
        return new MixedPrecisionResult(fullScore, score, score.Drop <= budget, budget, kept, sensitivities, model, evaluations, method);
    }

    /// <summary>
    /// The layers the lowering touched (compute nodes of the original that are gone or rewired in the lowered
    /// model; all compute nodes when none look changed, as after a whole-graph FP16 cast), in graph order,
    /// split into at most <see cref="MaxProbes"/> groups.
    /// </summary>
    internal static List<List<Node>> Groups(OnnxModel original, OnnxModel lowered)
    {
        var after = lowered.Graph.Nodes.GroupBy(n => n.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var layers = original.Graph.Nodes.Where(n => n.IsDefaultDomain && LayerOps.Contains(n.OpType)).ToList();
        var changed = layers.Where(n => !after.TryGetValue(n.Name, out var a) || a.OpType != n.OpType
            || !a.Inputs.Select(i => i?.Name).SequenceEqual(n.Inputs.Select(i => i?.Name))).ToList();
        if (changed.Count > 0)
        {
            layers = changed;
        }
        var size = (int)Math.Ceiling(layers.Count / (double)MaxProbes);
        return [.. layers.Chunk(Math.Max(1, size)).Select(c => c.ToList())];
    }

    private static string Line(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
