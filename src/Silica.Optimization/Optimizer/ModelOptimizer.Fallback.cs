using System.Globalization;
using System.Runtime.CompilerServices;
using Silica.Onnx.Graph;
using Silica.Optimization.Accuracy;
using Silica.Optimization.Data;
using Silica.Optimization.MixedPrecision;

namespace Silica.Optimization.Optimizer;

public static partial class ModelOptimizer
{
    /// <summary>
    /// The budget gates the first metric — the task metric when one is given (character accuracy), else the default
    /// gate metric (top-1 agreement, cosine similarity) — which is the one the fallback searches on. The others are
    /// reported beside it: a softmax output's cosine similarity or a max relative error moves with any rounding
    /// long before the task's accuracy does, and gating on them would keep nearly every layer in FP32.
    /// </summary>
    private static bool MeetsBudget(AccuracyReport accuracy, double budget) => accuracy.Scores.Count == 0 || accuracy.Scores[0].Drop <= budget;

    /// <summary>
    /// Keeps the most sensitive layers in their original precision until the first metric's drop fits the budget
    /// (<see cref="MixedPrecisionSearch"/>), then re-scores the chosen model with every metric.
    /// </summary>
    private static (Candidate Chosen, AccuracyReport Accuracy, MixedPrecisionSummary Summary) FallBack(OnnxModel original, byte[] passedBytes,
        Candidate full, OptimizeRequest request, SampleSet? calibration, SampleSet evaluation, IReadOnlyList<IAccuracyMetric> metrics,
        double budget, IProgress<OptimizeProgress>? progress)
    {
        var bf16 = request.Precision == TargetPrecision.Bf16;
        // Builds are remembered weakly: a search makes several, and a large model's copies would not fit in memory;
        // the one the search chooses stays alive (it holds it), so its report needs no rebuild.
        var built = new ConditionalWeakTable<OnnxModel, Candidate>();
        OnnxModel Build(IReadOnlySet<string> keep)
        {
            if (keep.Count == 0 && !bf16)
            {
                return full.Model;
            }
            if (bf16)
            {
                return Emulate(passedBytes, request, keep);
            }
            var candidate = BuildCandidate(passedBytes, request, calibration, keep, progress: null);
            built.AddOrUpdate(candidate.Model, candidate);
            return candidate.Model;
        }
        var lines = progress is null ? null : new ImmediateProgress<string>(line => progress.Report(new OptimizeProgress($"mixed precision: {line}", 0, 1)));
        var search = MixedPrecisionSearch.Run(original, Build, evaluation, metrics[0], budget, lines, unlowered: OnnxModel.Load(passedBytes));

        var kept = search.KeptNodes;
        var chosen = kept.Count == 0 ? full
            : !bf16 && built.TryGetValue(search.Model, out var found) ? found
            : BuildCandidate(passedBytes, request, calibration, kept, progress: null);
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var rank = 0; rank < search.Kept.Count; rank++)
        {
            var layer = search.Kept[rank];
            foreach (var node in layer.Nodes)
            {
                reasons[node] = string.Create(CultureInfo.InvariantCulture,
                    $"kept for accuracy: {node} ranks {rank + 1} of {search.Sensitivities.Count} by sensitivity {layer.Sensitivity:G3} (kept alone, it cuts the output distortion from {search.FullDistortion:G3} to {layer.Distortion:G3} and moves {metrics[0].Name} by {100 * layer.MetricGain:+0.00;-0.00;0.00} pt on {search.ProbeSamples} samples)");
            }
        }
        chosen = chosen with
        {
            Kept = [.. chosen.Kept.Select(k => reasons.TryGetValue(k.Node, out var why) ? k with { Detail = why } : k)],
        };
        var accuracy = Evaluate(original, passedBytes, chosen, request, evaluation, metrics, kept);
        var summary = new MixedPrecisionSummary(search.FullScore, search.FinalScore, search.MetBudget, kept.Count, search.Evaluations, search.Method);
        return (chosen, accuracy, summary);
    }
}
