using System.Diagnostics;
using System.Globalization;
using Silica.Benchmarking.Inference;
using Silica.Benchmarking.Results;
using Silica.Benchmarking.Scenarios;

namespace Silica.Benchmarking.Remote;

/// <summary>
/// Measures a model served by a running Open Inference Protocol v2 server (Silica's, Triton, KServe) with the same
/// scenarios, stopping rules and report as local benchmarking. The client machine's energy says nothing about the
/// server's, so energy is reported as not measured.
/// </summary>
public static class RemoteBenchmark
{
    /// <summary>Runs the batch-size sweep against the server and returns the report.</summary>
    /// <param name="target">The server, model and protocol.</param>
    /// <param name="options">What to measure; thread counts and <c>Batching</c> are the server's business and must be left at their defaults.</param>
    /// <param name="progress">Receives progress per point.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    /// <exception cref="ArgumentException">An option does not apply to a remote server.</exception>
    /// <exception cref="RemoteInferenceException">The server is unreachable or refused the first request of a point.</exception>
    public static async Task<BenchReport> RunAsync(RemoteTarget target, InferenceBenchmarkOptions options, IProgress<BenchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options.Validate();
        target.Validate();
        if (options.Batching is not null)
        {
            throw new ArgumentException("--batching configures a local batcher; a server batches by its own model configuration");
        }
        if (options.ThreadCounts is not [0])
        {
            throw new ArgumentException("--threads sets local intra-op threads; a server's threads are its own configuration");
        }
        using var sut = await RemoteSystemUnderTest.ConnectAsync(target, options.Bindings, options.Seed, cancellationToken).ConfigureAwait(false);
        var points = new List<BenchPoint>();
        var curvePoints = new List<BatchLatencyPoint>();
        var start = DateTimeOffset.UtcNow;
        for (var i = 0; i < options.BatchSizes.Count; i++)
        {
            var batch = options.BatchSizes[i];
            var label = $"batch {batch.ToString(CultureInfo.InvariantCulture)} over {target.Protocol.ToString().ToLowerInvariant()}";
            progress?.Report(new BenchProgress(i, options.BatchSizes.Count, label, false));
            var point = await MeasureAsync(sut, batch, options, cancellationToken).ConfigureAwait(false);
            points.Add(point);
            curvePoints.Add(BatchLatencyPoint.From(batch, point.Result));
            progress?.Report(new BenchProgress(i, options.BatchSizes.Count, label, true));
        }
        var where = $"remote {target.Protocol.ToString().ToLowerInvariant()} {target.Url}";
        return new BenchReport
        {
            Model = new BenchModel($"{target.Model} @ {target.Url}", "", null, 0),
            Backend = where,
            Environment = EnvironmentInfo.Capture() with { Device = where },
            Configuration = new BenchConfiguration(options.Scenario.ToString(), options.BatchSizes, [0], options.TargetQps,
                options.LatencyBound?.TotalMicroseconds, options.Concurrency, null, options.Bindings),
            Points = points,
            Curves = [new BatchLatencyCurve { Scenario = options.Scenario, StartTimeUtc = start, Points = curvePoints }],
        };
    }

    private static readonly EnergyFigure NotMeasured = new(0, 0, "not measured",
        "the model ran on a remote server; the client cannot read the server's energy");

    private static async Task<BenchPoint> MeasureAsync(RemoteSystemUnderTest sut, int batch, InferenceBenchmarkOptions options, CancellationToken cancellationToken)
    {
        await sut.PrepareAsync(batch, cancellationToken).ConfigureAwait(false); // first request pays connection setup
        var sw = Stopwatch.StartNew();
        await sut.PrepareAsync(batch, cancellationToken).ConfigureAwait(false);
        var single = sw.Elapsed;
        // Offline keeps enough requests in flight to keep a batching server busy without opening a connection per sample.
        var settings = InferenceBenchmark.SettingsFor(options, batch, single) with { OfflineQueueDepth = Math.Max(8, 2 * options.Concurrency) };
        if (!options.FindMaxQps)
        {
            var result = await LoadGenerator.RunAsync(sut, settings, cancellationToken).ConfigureAwait(false);
            return new BenchPoint(0, batch, result, NotMeasured, null);
        }
        var search = await CapacitySearch.FindAsync(qps => LoadGenerator.RunAsync(sut, settings with { TargetQps = qps }, cancellationToken),
            startQps: 0.5 / Math.Max(single.TotalSeconds, 1e-6), cancellationToken: cancellationToken).ConfigureAwait(false);
        var best = search.Best ?? search.Probes[^1];
        return new BenchPoint(0, batch, best, NotMeasured, null, search.Best?.Settings.TargetQps ?? 0,
            [.. search.Probes.Select(p => new CapacityProbe(p.Settings.TargetQps, p.Throughput.QueriesPerSecond, p.Latency.P99Us, CapacitySearch.Passes(p)))]);
    }
}
