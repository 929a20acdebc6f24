using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Silica.Advisor.Claims;
using Silica.Advisor.Measurement;
using Silica.Advisor.Planning;
using Silica.Advisor.Results;
using Silica.Hardware;
using Silica.Prediction;

namespace Silica.Advisor;

/// <summary>
/// The main job: measure the model here, calibrate the local device, predict every target instance × precision,
/// simulate the batcher to size each deployment for the required load under the p99 SLO, and rank by $ per 1M
/// inferences with bands, Pareto front and claim verdicts.
/// </summary>
public static partial class Comparison
{
    /// <summary>Runs a comparison.</summary>
    /// <exception cref="ArgumentException">The request is invalid (one-line message).</exception>
    public static CompareResults Run(CompareRequest request, IProgress<CompareProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var claims = request.Claims.Select(Claim.Parse).ToList();
        var predictor = new RooflinePredictor();
        var builder = new WorkloadBuilder(request.Model.Graph, request.Model.Bindings);
        var batches = builder.HasBatchDimension ? request.BatchSizes.Distinct().Order().ToArray() : [1];
        var first = builder.At(1);
        if (first.Kernels.Count == 0)
        {
            throw new ArgumentException($"'{request.Model.Name}' has no operators Silica can cost (bind its symbolic dimensions with --bind)");
        }

        var context = new Context(request, predictor, builder, batches);
        var catalog = request.Catalog;
        var localInstance = catalog.FindInstance(LocalTarget.InstanceId);
        if (localInstance is not null)
        {
            context.LocalTarget = LocalTarget.Create(catalog);
            context.LocalFactors = predictor.PriorFactors(DeviceClass.Cpu);
        }
        if (request.MeasureBudget > TimeSpan.Zero && context.LocalTarget is not null)
        {
            MeasureLocal(context, progress, cancellationToken);
        }

        var jobs = new List<(InstanceOffer Instance, DeviceSpec? Device, NumericFormat Precision)>();
        foreach (var instance in request.SelectedInstances())
        {
            foreach (var precision in request.Precisions)
            {
                jobs.Add((instance, catalog.DeviceOf(instance), precision));
            }
        }
        var rows = new ConcurrentBag<Evaluated>();
        var done = 0;
        Parallel.ForEach(jobs, new ParallelOptions { CancellationToken = cancellationToken }, job =>
        {
            rows.Add(Evaluate(context, job.Instance, job.Device, job.Precision));
            var n = Interlocked.Increment(ref done);
            progress?.Report(new CompareProgress($"predicting and simulating {n}/{jobs.Count} targets", 0.5 + (0.5 * n / jobs.Count)));
        });
        return Assemble(context, [.. rows], claims);
    }

    private static void MeasureLocal(Context context, IProgress<CompareProgress>? progress, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var started = Stopwatch.GetTimestamp();
        var points = LocalProfiler.Measure(request.Model.Path, request.Model.Graph, request.Model.Bindings, context.Batches, request.MeasureBudget,
            new Progress<int>(b => progress?.Report(new CompareProgress($"measuring batch {b} here", 0.5 * Array.IndexOf(context.Batches, b) / context.Batches.Length))),
            cancellationToken);
        var observations = LocalCalibration.Observe(context.Predictor, context.Builder, context.LocalTarget!, points);
        context.LocalFactors = LocalCalibration.Fit(observations);
        context.LocalPoints = points;
        context.Calibration = new CalibrationInfo(context.LocalFactors.ToDictionary(), Calibrator.RmsPercentError(observations, context.LocalFactors),
            "least squares on relative error of per-term multipliers of the prior (compute per op group, memory, overhead), ridge toward 1");
        var instance = request.Catalog.FindInstance(LocalTarget.InstanceId)!;
        var device = request.Catalog.DeviceOf(instance);
        context.Local = new LocalMeasurement(LocalTarget.InstanceId,
            $"{instance.DeviceCount} x {device?.Name ?? instance.DeviceId}, ONNX Runtime CPU", points, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    /// <summary>Everything shared by the evaluation of every target.</summary>
    private sealed class Context(CompareRequest request, RooflinePredictor predictor, WorkloadBuilder builder, int[] batches)
    {
        public CompareRequest Request { get; } = request;

        public RooflinePredictor Predictor { get; } = predictor;

        public WorkloadBuilder Builder { get; } = builder;

        public int[] Batches { get; } = batches;

        public ReplicaTarget? LocalTarget { get; set; }

        public CalibrationFactors? LocalFactors { get; set; }

        public IReadOnlyList<MeasuredPoint> LocalPoints { get; set; } = [];

        public LocalMeasurement? Local { get; set; }

        public CalibrationInfo? Calibration { get; set; }

        public ConcurrentDictionary<string, Lazy<(ServiceCurve Curve, ReplicaPlan Plan)>> Plans { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>A deployment row with the curve it was planned on (for the report's charts).</summary>
    private sealed record Evaluated(Deployment Row, ServiceCurve? Curve, ReplicaTarget? Target);
}
