using System.Globalization;
using Silica.Onnx.Graph;
using Silica.Optimization.Accuracy;
using Silica.Optimization.Data;
using Silica.Optimization.MixedPrecision;

namespace Silica.Optimization.Optimizer;

public static partial class ModelOptimizer
{
    /// <summary>
    /// Keeps the most sensitive layers in their original precision until the first metric's drop fits the budget
    /// (<see cref="MixedPrecisionSearch"/>), then re-scores the chosen model with every metric.
    /// </summary>
    private static (Candidate Chosen, AccuracyReport Accuracy, MixedPrecisionSummary Summary) FallBack(OnnxModel original, byte[] passedBytes,
        Candidate full, OptimizeRequest request, SampleSet? calibration, SampleSet evaluation, IReadOnlyList<IAccuracyMetric> metrics,
        double budget, IProgress<OptimizeProgress>? progress)
    {
        var bf16 = request.Precision == TargetPrecision.Bf16;
        // Only the latest build is held: a search makes dozens, and a large model's copies would not fit in memory.
        Candidate? latest = null;
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
            latest = BuildCandidate(passedBytes, request, calibration, keep, progress: null);
            return latest.Model;
        }
        var lines = progress is null ? null : new ImmediateProgress<string>(line => progress.Report(new OptimizeProgress($"mixed precision: {line}", 0, 1)));
        var search = MixedPrecisionSearch.Run(original, Build, evaluation, metrics[0], budget, lines);

        var kept = search.KeptNodes;
        var chosen = kept.Count == 0 ? full
            : !bf16 && latest is not null && ReferenceEquals(latest.Model, search.Model) ? latest
            : BuildCandidate(passedBytes, request, calibration, kept, progress: null);
        var reasons = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var layer in search.Kept)
        {
            var why = string.Create(CultureInfo.InvariantCulture,
                $"kept for accuracy: keeping it recovers {100 * layer.Sensitivity:0.###} pt of {metrics[0].Name}");
            foreach (var node in layer.Nodes)
            {
                reasons[node] = why;
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
