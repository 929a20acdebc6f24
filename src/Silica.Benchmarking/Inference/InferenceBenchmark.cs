using System.Diagnostics;
using System.Globalization;
using Silica.Benchmarking.Results;
using Silica.Benchmarking.Scenarios;
using Silica.Benchmarking.SystemsUnderTest;
using Silica.Onnx.Graph;
using Silica.Runtime.Backends;
using Silica.Runtime.Batching;

namespace Silica.Benchmarking.Inference;

/// <summary>
/// Measures a model on a backend: for each thread count and batch size, a session (or a dynamic batcher over
/// sessions) is driven by the load generator in the chosen scenario, with energy read around the run.
/// Stopping windows adapt to the model's speed so slow models still reach a stability verdict.
/// </summary>
public static class InferenceBenchmark
{
    /// <summary>Runs the sweep and returns the report.</summary>
    /// <param name="backend">Where to run.</param>
    /// <param name="modelPath">The model file the backend loads.</param>
    /// <param name="graph">The same model as Silica IR (weights not needed), used to size outputs.</param>
    /// <param name="model">Model facts for the report.</param>
    /// <param name="options">What to measure.</param>
    /// <param name="progress">Receives progress per point.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static async Task<BenchReport> RunAsync(IBackend backend, string modelPath, OnnxModel graph, BenchModel model,
        InferenceBenchmarkOptions options, IProgress<BenchProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        options.Validate();
        var meter = EnergyMeters.Create(options.CpuTdpWatts, backend.Device.Kind == Runtime.Backends.DeviceKind.Gpu);
        var points = new List<BenchPoint>();
        var curves = new List<BatchLatencyCurve>();
        var total = options.ThreadCounts.Count * options.BatchSizes.Count;
        var index = 0;
        foreach (var threads in options.ThreadCounts)
        {
            var sessionOptions = new Runtime.Backends.SessionOptions
            {
                IntraOpThreads = threads,
                InterOpThreads = threads == 0 ? 0 : 1,
                DimensionBindings = options.Bindings,
                ModelName = model.Name,
                Precision = options.Precision,
                AllowTf32 = options.AllowTf32,
            };
            var curvePoints = new List<BatchLatencyPoint>();
            var start = DateTimeOffset.UtcNow;
            foreach (var batch in options.BatchSizes)
            {
                var label = $"batch {batch}, {(threads == 0 ? "default" : threads.ToString(CultureInfo.InvariantCulture))} threads";
                progress?.Report(new BenchProgress(index, total, label, false));
                var point = options.Batching is { } batching
                    ? await MeasureBatchedAsync(backend, modelPath, sessionOptions, batching, batch, threads, options, meter, cancellationToken).ConfigureAwait(false)
                    : await MeasureDirectAsync(backend, modelPath, graph, sessionOptions, batch, threads, options, meter, cancellationToken).ConfigureAwait(false);
                points.Add(point);
                curvePoints.Add(BatchLatencyPoint.From(batch, point.Result));
                progress?.Report(new BenchProgress(index++, total, label, true));
            }
            curves.Add(new BatchLatencyCurve { Scenario = options.Scenario, StartTimeUtc = start, Points = curvePoints });
        }
        var environment = EnvironmentInfo.Capture() with
        {
            OnnxRuntimeVersion = OnnxRuntimeInfo.Version,
            ModelHash = model.Sha256,
            Device = $"{backend.Name}: {backend.Device.Name}",
        };
        return new BenchReport
        {
            Model = model,
            Backend = backend.Name,
            Environment = environment,
            Configuration = new BenchConfiguration(
                options.Scenario.ToString(), options.BatchSizes, options.ThreadCounts, options.TargetQps,
                options.LatencyBound?.TotalMicroseconds, options.Concurrency, options.Batching is { } b ? Describe(b) : null, options.Bindings)
            {
                Precision = options.AllowTf32 && options.Precision == Precision.Fp32 ? "tf32" : options.Precision.ToString().ToLowerInvariant(),
            },
            Points = points,
            Curves = curves,
        };
    }

    private static async Task<BenchPoint> MeasureDirectAsync(IBackend backend, string modelPath, OnnxModel graph,
        Runtime.Backends.SessionOptions sessionOptions, int batch, int threads, InferenceBenchmarkOptions options, Runtime.Power.IPowerMeter meter,
        CancellationToken cancellationToken)
    {
        using var session = backend.CreateSession(modelPath, sessionOptions);
        using var sut = new SessionSystemUnderTest(session, graph, options.Bindings);
        var single = TimeOne(() => sut.Prepare(batch));
        // One worker runs one query at a time: two queued keep it busy without a queue that outlasts the run.
        var settings = SettingsFor(options, batch, single) with { OfflineQueueDepth = 2 };
        return await RunPointAsync(sut, settings, threads, batch, options, meter, single, null, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<BenchPoint> MeasureBatchedAsync(IBackend backend, string modelPath, Runtime.Backends.SessionOptions sessionOptions,
        BatcherOptions batching, int batch, int threads, InferenceBenchmarkOptions options, Runtime.Power.IPowerMeter meter, CancellationToken cancellationToken)
    {
        await using var batcher = new DynamicBatcher(() => backend.CreateSession(modelPath, sessionOptions), batching);
        var sut = new BatcherSystemUnderTest(batcher, options.Bindings);
        try
        {
            var single = TimeOne(() => sut.Prepare(batch));
            // Enough queued requests to fill every instance's largest batch twice over.
            var settings = SettingsFor(options, batch, single) with { OfflineQueueDepth = Math.Max(2, 2 * batching.MaxBatchSize * batching.InstanceCount) };
            return await RunPointAsync(sut, settings, threads, batch, options, meter, single,
                () => (batcher.Counters.BatchesExecuted, batcher.Counters.RowsExecuted), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            sut.Dispose();
        }
    }

    private static async Task<BenchPoint> RunPointAsync(ISystemUnderTest sut, RunSettings settings, int threads, int batch,
        InferenceBenchmarkOptions options, Runtime.Power.IPowerMeter meter, TimeSpan single, Func<(long Batches, long Rows)>? batchCounters,
        CancellationToken cancellationToken)
    {
        var runs = new List<(BenchmarkResult Result, EnergyFigure Energy, double? AverageBatch)>();
        async Task<BenchmarkResult> RunAt(RunSettings s)
        {
            var counters = batchCounters?.Invoke();
            var startEnergy = meter.Read();
            var r = await LoadGenerator.RunAsync(sut, s, cancellationToken).ConfigureAwait(false);
            var energy = meter.Measure(startEnergy, meter.Read());
            double? average = null;
            if (batchCounters?.Invoke() is { } after && counters is { } before && after.Batches > before.Batches)
            {
                average = (double)(after.Rows - before.Rows) / (after.Batches - before.Batches);
            }
            runs.Add((r, EnergyMeters.PerInference(energy, r.Throughput.SamplesPerSecond, meter, options.CpuTdpWatts is null), average));
            return r;
        }

        if (!options.FindMaxQps)
        {
            await RunAt(settings).ConfigureAwait(false);
            var (result, energy, average) = runs[0];
            return new BenchPoint(threads, batch, result, energy, average);
        }
        var search = await CapacitySearch.FindAsync(qps => RunAt(settings with { TargetQps = qps }),
            startQps: 0.5 * batch / Math.Max(single.TotalSeconds, 1e-6), cancellationToken: cancellationToken).ConfigureAwait(false);
        var best = runs.First(r => ReferenceEquals(r.Result, search.Best ?? search.Probes[^1]));
        return new BenchPoint(threads, batch, best.Result, best.Energy, best.AverageBatch, search.Best?.Settings.TargetQps ?? 0,
            [.. search.Probes.Select(p => new CapacityProbe(p.Settings.TargetQps, p.Throughput.QueriesPerSecond, p.Latency.P99Us, CapacitySearch.Passes(p)))]);
    }

    /// <summary>
    /// Stopping rules scaled to the model: a window holds several queries, so a model taking seconds per query
    /// still gets three comparable windows instead of windows with zero or one completion.
    /// </summary>
    internal static RunSettings SettingsFor(InferenceBenchmarkOptions options, int batch, TimeSpan single)
    {
        var window = TimeSpan.FromTicks(Math.Max(TimeSpan.FromMilliseconds(500).Ticks, single.Ticks * 3));
        if (options.Scenario == Scenario.Server && (options.TargetQps ?? 0) > 0)
        {
            // A window's p50 is only comparable with its neighbours' when it holds a few dozen queries.
            window = TimeSpan.FromTicks(Math.Max(window.Ticks, TimeSpan.FromSeconds(30 / options.TargetQps!.Value).Ticks));
        }
        var min = TimeSpan.FromTicks(Math.Max(options.MinDuration.Ticks, window.Ticks * 3));
        var max = TimeSpan.FromTicks(Math.Max(options.MaxDuration.Ticks, Math.Max(min.Ticks, window.Ticks * 6)));
        return new RunSettings
        {
            Scenario = options.Scenario,
            SamplesPerQuery = batch,
            TargetQps = options.TargetQps ?? 1,
            TargetLatency = options.LatencyBound,
            Concurrency = options.Concurrency,
            WarmupDuration = TimeSpan.FromTicks(Math.Max(options.Warmup.Ticks, single.Ticks * 2)),
            MinDuration = min,
            MaxDuration = max,
            MinQueryCount = options.MinQueries,
            RequireStability = options.RequireStability,
            StabilityTolerance = options.StabilityTolerance,
            WindowDuration = window,
            Seed = options.Seed,
        };
    }

    private static TimeSpan TimeOne(Action run)
    {
        run(); // first run pays one-time costs (allocation, ORT's lazy initialisation)
        var sw = Stopwatch.StartNew();
        run();
        return sw.Elapsed;
    }

    private static string Describe(BatcherOptions b) =>
        FormattableString.Invariant($"max={b.MaxBatchSize},delay={b.MaxQueueDelay.TotalMilliseconds}ms,queue={b.MaxQueueSize},instances={b.InstanceCount}") +
        (b.PreferredBatchSizes.Count > 0 ? $",preferred={string.Join('/', b.PreferredBatchSizes)}" : "");
}
