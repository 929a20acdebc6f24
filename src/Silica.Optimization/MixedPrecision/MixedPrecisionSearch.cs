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
/// <para>
/// Sensitivity is measured <em>keep-one-out</em>: lower everything except one layer and measure how much the
/// output distortion against the original falls (<see cref="OutputDistortion"/>: KL divergence of per-step or
/// per-sample distributions, else relative squared error). That is the quantity the greedy step needs — "how much
/// do I gain by keeping this layer" in a model where the rest is lowered — and being continuous it ranks layers
/// even when the task metric does not move on a few samples (character accuracy on 8 lines moved in whole
/// characters, so most layers tied at 0 and the order was noise). The task metric's change on the probe samples
/// is recorded too, for the report.
/// </para>
/// <para>
/// Cost is bounded: at most <see cref="MaxProbes"/> probes (consecutive layers are measured as groups beyond that)
/// on at most <see cref="MaxSensitivitySamples"/> samples. For QDQ lowerings (INT8 static, FP8) each probe is the
/// full lowering with one layer's Q/DQ removed (<see cref="QdqLayerRestore"/>), so no probe re-calibrates; other
/// lowerings build the probe with <c>buildCandidate</c>. Then the kept set is the k most sensitive layers, with the
/// smallest k that meets the budget on the whole evaluation set found by doubling k (1, 2, 4, …) and then
/// bisecting between the last miss and the first hit: O(log layers) real builds, each scored with the task metric.
/// </para>
/// </remarks>
public static class MixedPrecisionSearch
{
    /// <summary>The most sensitivity probes (candidate models) the search measures.</summary>
    public const int MaxProbes = 48;

    /// <summary>The most samples each sensitivity probe is run on.</summary>
    public const int MaxSensitivitySamples = 16;

    private static readonly HashSet<string> LayerOps = ["Conv", "ConvTranspose", "MatMul", "Gemm"];

    /// <summary>Runs the search.</summary>
    /// <param name="original">The reference model (not changed).</param>
    /// <param name="buildCandidate">Builds the lowered model, keeping the given node names in higher precision.</param>
    /// <param name="evaluation">The samples to score on.</param>
    /// <param name="metric">The metric whose drop must stay within the budget.</param>
    /// <param name="budget">Allowed drop in absolute fraction (0.005 = half a point).</param>
    /// <param name="progress">Receives one line per step.</param>
    /// <param name="unlowered">
    /// The model the lowering starts from (after graph passes), whose node names <paramref name="buildCandidate"/>
    /// takes and whose float weights a kept layer gets back; <paramref name="original"/> when null.
    /// </param>
    /// <exception cref="ArgumentException">The evaluation set is empty or the budget is negative.</exception>
    public static MixedPrecisionResult Run(OnnxModel original, Func<IReadOnlySet<string>, OnnxModel> buildCandidate, SampleSet evaluation,
        IAccuracyMetric metric, double budget, IProgress<string>? progress = null, OnnxModel? unlowered = null)
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
        var source = unlowered ?? original;
        var reference = ModelEvaluator.Run(original, evaluation);
        var evaluations = 0;
        IReadOnlyList<IReadOnlyList<Tensor>> Outputs(OnnxModel candidate, SampleSet set)
        {
            evaluations++;
            return ModelEvaluator.Run(candidate, set);
        }

        var full = buildCandidate(new HashSet<string>(StringComparer.Ordinal));
        var fullOutputs = Outputs(full, evaluation);
        var fullScore = metric.Score(evaluation, reference, fullOutputs);
        progress?.Report(Line($"all layers lowered: {metric.Name} {fullScore.Candidate:F5} (drop {fullScore.Drop:F5}, budget {budget:F5})"));
        if (fullScore.Drop <= budget)
        {
            return new MixedPrecisionResult(fullScore, fullScore, true, budget, [], [], full, evaluations, "none needed")
            {
                Steps = [new MixedPrecisionStep(0, fullScore, true)],
            };
        }

        // Sensitivity: keep-one-out probes on the first samples, scored by a continuous output distortion.
        var groups = Groups(source, full);
        var probeCount = Math.Min(evaluation.Samples.Count, MaxSensitivitySamples);
        var probeSet = probeCount == evaluation.Samples.Count ? evaluation : evaluation with { Samples = [.. evaluation.Samples.Take(probeCount)] };
        var probeRefs = reference.Take(probeCount).ToList();
        var fullProbeOutputs = fullOutputs.Take(probeCount).ToList();
        var distortion = OutputDistortion.For(probeRefs);
        var baseline = metric.Score(probeSet, probeRefs, fullProbeOutputs);
        var fullDistortion = distortion.Measure(probeRefs, fullProbeOutputs);
        progress?.Report(Line($"sensitivity of {groups.Count} layer(s) on {probeCount} samples: all lowered, {distortion.Kind} {fullDistortion:G4}"));
        var fullBytes = full.ToBytes();
        var derived = 0;
        var sensitivities = new List<LayerSensitivity>();
        foreach (var group in groups)
        {
            var keep = new HashSet<string>(group.Select(n => n.Name), StringComparer.Ordinal);
            var probe = QdqLayerRestore.Restore(fullBytes, source, keep);
            derived += probe is null ? 0 : 1;
            var outputs = Outputs(probe ?? buildCandidate(keep), probeSet);
            var d = distortion.Measure(probeRefs, outputs);
            var gain = metric.Score(probeSet, probeRefs, outputs).Candidate - baseline.Candidate;
            sensitivities.Add(new LayerSensitivity([.. group.Select(n => n.Name)], group[0].OpType, fullDistortion - d, d, gain));
            progress?.Report(Line($"sensitivity {string.Join("+", keep)}: distortion {fullDistortion:G4} -> {d:G4}, {metric.Name} {gain:+0.00000;-0.00000}"));
        }
        // Stable: equal sensitivities keep graph order; the metric's gain breaks ties.
        sensitivities = [.. sensitivities.OrderByDescending(s => s.Sensitivity).ThenByDescending(s => s.MetricGain)];

        // The smallest k whose k most sensitive layers meet the budget: doubling, then bisection between miss and hit.
        // Candidates are derived from the full lowering like the probes when possible (the same model a rebuild gives,
        // without re-calibrating); the chosen one is then built for real and re-scored, and should that miss, the
        // search runs again on real builds.
        var steps = new List<MixedPrecisionStep>();
        IReadOnlySet<string> Keep(int k) => sensitivities.Take(k).SelectMany(s => s.Nodes).ToHashSet(StringComparer.Ordinal);
        (MetricScore Score, bool Met, OnnxModel Model) Score(int k, OnnxModel model, string how)
        {
            var score = metric.Score(evaluation, reference, Outputs(model, evaluation));
            var met = score.Drop <= budget;
            steps.Add(new MixedPrecisionStep(k, score, met));
            progress?.Report(Line($"keeping {k} of {sensitivities.Count} layer(s) in higher precision ({how}): {metric.Name} {score.Candidate:F5} (drop {score.Drop:F5}, {(met ? "meets" : "misses")} the budget)"));
            return (score, met, model);
        }
        (int K, MetricScore Score, OnnxModel Model)? Search(bool derive)
        {
            (int K, MetricScore Score, OnnxModel Model)? hit = null;
            bool Try(int k)
            {
                var keep = Keep(k);
                var derivedModel = derive ? QdqLayerRestore.Restore(fullBytes, source, keep) : null;
                var (score, met, model) = Score(k, derivedModel ?? buildCandidate(keep), derivedModel is null ? "built" : "derived");
                if (met && (hit is null || k < hit.Value.K))
                {
                    hit = (k, score, model);
                }
                return met;
            }
            var miss = 0;
            for (var k = 1; ; k = Math.Min(2 * k, sensitivities.Count))
            {
                if (Try(k))
                {
                    break;
                }
                miss = k;
                if (k == sensitivities.Count)
                {
                    break;
                }
            }
            while (hit is { } h && h.K - miss > 1)
            {
                var mid = (miss + h.K) / 2;
                if (!Try(mid))
                {
                    miss = mid;
                }
            }
            return hit;
        }

        var confirmed = false;
        var found = Search(derive: derived > 0);
        if (found is { } f && derived > 0)
        {
            // The derived candidate stands in for a build: build the chosen set and score that.
            var (score, met, model) = Score(f.K, buildCandidate(Keep(f.K)), "built to confirm");
            found = met ? (f.K, score, model) : Search(derive: false);
            confirmed = met;
        }
        var keptCount = found?.K ?? sensitivities.Count;
        var (finalScore, finalModel) = found is { } hit ? (hit.Score, hit.Model) : Last(keptCount);
        (MetricScore, OnnxModel) Last(int k)
        {
            var (score, _, model) = Score(k, buildCandidate(Keep(k)), "built");
            return (score, model);
        }
        var probes = groups.Any(g => g.Count > 1) ? $"{groups.Count} groups of consecutive layers" : $"{groups.Count} layers";
        var how = derived == groups.Count ? "Q/DQ removed from the full lowering, no re-calibration"
            : derived == 0 ? "each probe built in full" : $"{derived} probes derived from the full lowering, the rest built";
        var trail = string.Join(", ", steps.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Layers} -> {100 * s.Score.Drop:0.00} pt")));
        var stepsHow = confirmed ? "candidates derived from the full lowering, the chosen one rebuilt to confirm" : "each candidate built";
        var method = $"sensitivity: keep-one-out {distortion.Kind} on {probeCount} samples over {probes} ({how}); kept the k most sensitive, "
            + $"k by doubling then bisection ({stepsHow}), scored on all {evaluation.Samples.Count} samples (k -> drop: {trail})";
        return new MixedPrecisionResult(fullScore, finalScore, finalScore.Drop <= budget, budget, [.. sensitivities.Take(keptCount)], sensitivities,
            finalModel, evaluations, method)
        {
            DistortionKind = distortion.Kind,
            FullDistortion = fullDistortion,
            ProbeSamples = probeCount,
            Steps = steps,
        };
    }

    /// <summary>
    /// The layers the lowering touched, in graph order, split into at most <see cref="MaxProbes"/> groups: compute
    /// nodes of the original that are gone in the lowered model, or changed op type, inputs, weight data, or what
    /// reads their output (a QDQ pair, a Cast round trip). All compute nodes when none look changed.
    /// </summary>
    internal static List<List<Node>> Groups(OnnxModel original, OnnxModel lowered)
    {
        var after = lowered.Graph.Nodes.GroupBy(n => n.Name).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var layers = original.Graph.Nodes.Where(n => n.IsDefaultDomain && LayerOps.Contains(n.OpType)).ToList();
        var changed = layers.Where(n => !after.TryGetValue(n.Name, out var a) || Changed(n, a)).ToList();
        if (changed.Count > 0)
        {
            layers = changed;
        }
        var size = (int)Math.Ceiling(layers.Count / (double)MaxProbes);
        return [.. layers.Chunk(Math.Max(1, size)).Select(c => c.ToList())];
    }

    private static bool Changed(Node before, Node after)
    {
        if (before.OpType != after.OpType || before.Inputs.Count != after.Inputs.Count)
        {
            return true;
        }
        for (var i = 0; i < before.Inputs.Count; i++)
        {
            var (b, a) = (before.Inputs[i], after.Inputs[i]);
            if (b?.Name != a?.Name)
            {
                return true;
            }
            if (b?.Initializer is { } bt && (a?.Initializer is not { } at || bt.DataType != at.DataType || !bt.RawData.Equals(at.RawData)
                || !bt.FloatData.Equals(at.FloatData)))
            {
                return true;
            }
        }
        static string Readers(Node n) => string.Join(",", n.Outputs.SelectMany(o => o?.Consumers ?? []).Select(c => c.OpType).Order(StringComparer.Ordinal));
        return Readers(before) != Readers(after);
    }

    private static string Line(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
