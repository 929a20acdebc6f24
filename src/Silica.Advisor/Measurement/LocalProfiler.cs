using System.Diagnostics;
using Silica.Advisor.Results;
using Silica.Benchmarking.Inference;
using Silica.Onnx.Graph;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Advisor.Measurement;

/// <summary>
/// Times a model on this machine's CPU backend at a list of batch sizes within a time budget: the batch-latency curve
/// that calibrates the predictor and drives the local rows of a comparison. Each run is timed alone (no queueing), so
/// the points are service times.
/// </summary>
public static class LocalProfiler
{
    /// <summary>Fewest timed runs per batch size.</summary>
    public const int MinRuns = 5;

    /// <summary>Most timed runs per batch size.</summary>
    public const int MaxRuns = 200;

    /// <summary>
    /// Measures <paramref name="batches"/> in increasing order until the budget is spent; a batch whose first run says it
    /// cannot finish <see cref="MinRuns"/> runs in what is left is skipped along with every larger one.
    /// </summary>
    /// <param name="modelPath">The model file (with weights).</param>
    /// <param name="graph">The same model (weights optional) for output shapes.</param>
    /// <param name="bindings">Sizes of the non-batch symbolic dimensions.</param>
    /// <param name="batches">Batch sizes to try.</param>
    /// <param name="budget">Wall time for the whole curve, session creation included.</param>
    /// <param name="progress">Told each batch size as it starts.</param>
    /// <param name="cancellationToken">Stops measuring; the points so far are returned.</param>
    /// <returns>At least one point (batch 1 is always measured, whatever the budget).</returns>
    public static IReadOnlyList<MeasuredPoint> Measure(string modelPath, OnnxModel graph, IReadOnlyDictionary<string, long> bindings,
        IReadOnlyList<int> batches, TimeSpan budget, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var started = Stopwatch.GetTimestamp();
        var backend = BackendRegistry.Default.Get("cpu");
        using var session = backend.CreateSession(modelPath, new SessionOptions { DimensionBindings = bindings });
        var points = new List<MeasuredPoint>();
        var ordered = batches.Distinct().Order().ToArray();
        for (var i = 0; i < ordered.Length; i++)
        {
            var batch = ordered[i];
            if (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            progress?.Report(batch);
            var left = budget - Stopwatch.GetElapsedTime(started);
            var perPoint = left / (ordered.Length - i);
            var point = MeasureOne(session, graph, bindings, batch, perPoint, left, points.Count == 0, cancellationToken);
            if (point is null)
            {
                break;
            }
            points.Add(point);
        }
        return points;
    }

    private static MeasuredPoint? MeasureOne(ISession session, OnnxModel graph, IReadOnlyDictionary<string, long> bindings, int batch,
        TimeSpan perPoint, TimeSpan left, bool mustMeasure, CancellationToken cancellationToken)
    {
        var inputs = SyntheticInputs.Create(session.Inputs, batch, bindings);
        Tensor[] outputs = [];
        try
        {
            outputs = OutputBuffers.Create(graph, session, inputs);
            // The first run pays for allocations and kernel selection; it also says how long one run takes.
            var first = Time(session, inputs, outputs);
            if (!mustMeasure && first * (MinRuns + 1) > left.TotalSeconds)
            {
                return null;
            }
            Time(session, inputs, outputs);
            var samples = new List<double>();
            var spent = 0.0;
            while (samples.Count < MaxRuns && (samples.Count < MinRuns || spent < perPoint.TotalSeconds) && !cancellationToken.IsCancellationRequested)
            {
                var t = Time(session, inputs, outputs);
                samples.Add(t);
                spent += t;
            }
            samples.Sort();
            return new MeasuredPoint(batch, Percentile(samples, 0.50) * 1e3, Percentile(samples, 0.99) * 1e3, samples.Count);
        }
        finally
        {
            foreach (var t in inputs)
            {
                t.Dispose();
            }
            foreach (var t in outputs)
            {
                t.Dispose();
            }
        }
    }

    private static double Time(ISession session, Tensor[] inputs, Tensor[] outputs)
    {
        var t0 = Stopwatch.GetTimestamp();
        session.Run(inputs, outputs);
        return Stopwatch.GetElapsedTime(t0).TotalSeconds;
    }

    /// <summary>Nearest-rank percentile of sorted samples.</summary>
    internal static double Percentile(List<double> sorted, double q)
    {
        var rank = (int)Math.Ceiling(q * sorted.Count) - 1;
        return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
    }
}
