using Silica.Optimization.Accuracy;
using Silica.Optimization.Data;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Ocr;

/// <summary>
/// Text detection's task metric: both models' probability maps (float[1,1,h,w], the first output) go through DB
/// post-processing, boxes are matched one-to-one by greatest IoU, and the score is Σ matched IoU / Σ max(boxes on
/// either side) over the set, so missed and extra boxes count as 0.
/// Without ground truth, the candidate's boxes are scored against the original model's (Reference = 1).
/// With ground truth (<see cref="OcrPageSet.MapBoxes"/>), each model's boxes are scored against the true line boxes:
/// Reference is the original model's IoU with the truth, Candidate the optimized model's.
/// </summary>
public sealed class BoxIouMetric : IAccuracyMetric
{
    private readonly DbPostProcessor _post;
    private readonly IReadOnlyList<IReadOnlyList<TextBox>>? _truth;

    /// <summary>Creates the metric.</summary>
    /// <param name="groundTruth">Per sample, the true boxes in map pixels; null to compare the candidate with the original.</param>
    /// <param name="postProcessor">DB settings; PaddleOCR's defaults when null.</param>
    public BoxIouMetric(IReadOnlyList<IReadOnlyList<TextBox>>? groundTruth = null, DbPostProcessor? postProcessor = null)
    {
        _truth = groundTruth;
        _post = postProcessor ?? new DbPostProcessor();
    }

    /// <inheritdoc />
    public string Name => _truth is null ? "box IoU (vs original)" : "box IoU (vs ground truth)";

    /// <inheritdoc />
    public MetricScore Score(SampleSet samples, IReadOnlyList<IReadOnlyList<Tensor>> reference, IReadOnlyList<IReadOnlyList<Tensor>> candidate)
    {
        ArgumentNullException.ThrowIfNull(samples);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        var n = samples.Samples.Count;
        if (reference.Count != n || candidate.Count != n)
        {
            throw new ArgumentException($"{reference.Count} reference and {candidate.Count} candidate outputs for {n} samples");
        }
        if (_truth is not null && _truth.Count != n)
        {
            throw new ArgumentException($"{_truth.Count} ground-truth pages for {n} samples");
        }
        var refBoxes = reference.Select(o => Boxes(o)).ToArray();
        var candBoxes = candidate.Select(o => Boxes(o)).ToArray();
        if (_truth is null)
        {
            return new MetricScore(Name, 1.0, MeanIoU(refBoxes, candBoxes));
        }
        return new MetricScore(Name, MeanIoU(_truth, refBoxes), MeanIoU(_truth, candBoxes));
    }

    /// <summary>Σ matched IoU / Σ max(|a|, |b|) over pages; 1 when no page has a box on either side.</summary>
    public static double MeanIoU(IReadOnlyList<IReadOnlyList<TextBox>> a, IReadOnlyList<IReadOnlyList<TextBox>> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        double matched = 0;
        long slots = 0;
        for (var i = 0; i < a.Count; i++)
        {
            matched += MatchedIoU(a[i], b[i]);
            slots += Math.Max(a[i].Count, b[i].Count);
        }
        return slots == 0 ? 1 : matched / slots;
    }

    /// <summary>The sum of IoUs of a greedy one-to-one matching, best pairs first.</summary>
    public static double MatchedIoU(IReadOnlyList<TextBox> a, IReadOnlyList<TextBox> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var pairs = new List<(double IoU, int A, int B)>();
        for (var i = 0; i < a.Count; i++)
        {
            for (var j = 0; j < b.Count; j++)
            {
                var iou = a[i].IoU(b[j]);
                if (iou > 0)
                {
                    pairs.Add((iou, i, j));
                }
            }
        }
        var usedA = new bool[a.Count];
        var usedB = new bool[b.Count];
        double sum = 0;
        foreach (var (iou, i, j) in pairs.OrderByDescending(p => p.IoU))
        {
            if (!usedA[i] && !usedB[j])
            {
                usedA[i] = usedB[j] = true;
                sum += iou;
            }
        }
        return sum;
    }

    private IReadOnlyList<TextBox> Boxes(IReadOnlyList<Tensor> outputs)
    {
        if (outputs.Count == 0)
        {
            throw new ArgumentException("a sample has no detector output");
        }
        var map = outputs[0];
        // Boxes stay in map pixels: both sides and the ground truth share that frame.
        return _post.FindBoxes(map, (int)map.Shape[3], (int)map.Shape[2]);
    }
}
