using System.Globalization;
using Silica.Benchmarking.Inference;
using Silica.Prediction.Serving;

namespace Silica.Cli.Commands.Simulate;

/// <summary>
/// Reads a batch service-time curve from a <c>silica bench --json</c> report. Service time is what one query
/// takes with nothing queued ahead of it, so only scenarios that run one query at a time give it directly:
/// singlestream, multistream, and concurrency 1 (their latency quantiles per batch size). Such a run may go
/// through a batcher with <c>delay=0ms</c> (each query is then one batch, and the batcher's dispatch overhead is
/// part of the service time, as it is in the batcher being simulated). Offline keeps several queries queued, so
/// its per-query latency includes waiting; there the service time is 1 / queries per second, with no spread.
/// Server runs and runs behind a batching delay measure queueing, not service, and are refused.
/// </summary>
internal static class ServiceCurveFile
{
    /// <summary>Loads the curve for <paramref name="threads"/> (null: the report's only thread count).</summary>
    /// <param name="path">The bench report.</param>
    /// <param name="threads">Which thread count's points to use.</param>
    /// <param name="lognormal">Fit a lognormal to each point's p50 and p99 instead of drawing from all measured quantiles.</param>
    /// <exception cref="UsageException">The file is missing, not a bench report, or holds no usable points.</exception>
    public static ServiceCurve Load(string path, int? threads, bool lognormal)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"--curve: no file '{path}' (write one with 'silica bench <model> --scenario singlestream --batch 1,2,4,8 --json {path}')");
        }
        BenchReport report;
        try
        {
            report = BenchReportJson.Deserialize(File.ReadAllText(path));
        }
        catch (FormatException e)
        {
            throw new UsageException($"--curve '{path}': {e.Message}");
        }
        var cfg = report.Configuration
            ?? throw new UsageException($"--curve '{path}': not a bench report (no configuration)");
        if (cfg.Batching is { } spec && !spec.Contains("delay=0ms", StringComparison.Ordinal))
        {
            throw new UsageException($"--curve '{path}' was measured behind a batching delay ({spec}), so its latencies include waiting; " +
                "measure service times without --batching or with delay=0ms");
        }
        var offline = cfg.Scenario.Equals("Offline", StringComparison.OrdinalIgnoreCase);
        var oneAtATime = cfg.Scenario.Equals("SingleStream", StringComparison.OrdinalIgnoreCase)
            || cfg.Scenario.Equals("MultiStream", StringComparison.OrdinalIgnoreCase)
            || (cfg.Scenario.Equals("Concurrency", StringComparison.OrdinalIgnoreCase) && cfg.Concurrency == 1);
        if (!offline && !oneAtATime)
        {
            throw new UsageException($"--curve '{path}' is a {cfg.Scenario} run{(cfg.Concurrency > 1 ? $" at concurrency {cfg.Concurrency}" : "")}, whose latencies include queueing; " +
                "measure service times with --scenario singlestream (or offline)");
        }
        var points = report.Points ?? [];
        var threadCounts = points.Select(p => p.Threads).Distinct().Order().ToList();
        if (threadCounts.Count == 0)
        {
            throw new UsageException($"--curve '{path}' holds no measured points");
        }
        var chosen = threads ?? (threadCounts.Count == 1
            ? threadCounts[0]
            : throw new UsageException($"--curve '{path}' holds curves for threads {string.Join(",", threadCounts)}; pick one with --threads"));
        var selected = points.Where(p => p.Threads == chosen).ToList();
        if (selected.Count == 0)
        {
            throw new UsageException($"--curve '{path}' has no points at --threads {chosen} (it has {string.Join(",", threadCounts)})");
        }
        var servicePoints = new List<ServicePoint>();
        var distributions = new List<ServiceDistribution>();
        foreach (var p in selected)
        {
            var latency = p.Result?.Latency;
            var qps = p.Result?.Throughput?.QueriesPerSecond ?? 0;
            var (p50, p99) = offline
                ? (qps > 0 ? 1 / qps : 0, qps > 0 ? 1 / qps : 0)
                : ((latency?.P50Us ?? 0) / 1e6, (latency?.P99Us ?? 0) / 1e6);
            if (!(p50 > 0) || !double.IsFinite(p50) || !(p99 > 0) || !double.IsFinite(p99))
            {
                throw new UsageException($"--curve '{path}': the point at batch {p.BatchSize} has no measured latency");
            }
            servicePoints.Add(new ServicePoint(p.BatchSize, p50, p99));
            if (latency is { MinUs: > 0, P90Us: > 0, P95Us: > 0, P999Us: > 0, MaxUs: > 0 })
            {
                distributions.Add(new ServiceDistribution(p.BatchSize,
                [
                    new(0, latency.MinUs / 1e6), new(0.5, p50), new(0.9, latency.P90Us / 1e6), new(0.95, latency.P95Us / 1e6),
                    new(0.99, p99), new(0.999, latency.P999Us / 1e6), new(1, latency.MaxUs / 1e6),
                ]));
            }
        }
        if (servicePoints.Select(p => p.Batch).Distinct().Count() != servicePoints.Count)
        {
            throw new UsageException($"--curve '{path}' measures a batch size twice at threads {chosen}");
        }
        var through = cfg.Batching is null ? "" : " through the batcher";
        if (offline)
        {
            return new ServiceCurve(path, report.Model?.Name ?? "?", chosen, "offline throughput (service time = 1 / queries per second, no spread)",
                servicePoints, new CurveServiceTime(servicePoints));
        }
        if (lognormal || distributions.Count != servicePoints.Count)
        {
            return new ServiceCurve(path, report.Model?.Name ?? "?", chosen, $"{cfg.Scenario} latency{through}, lognormal from p50 and p99",
                servicePoints, new CurveServiceTime(servicePoints));
        }
        return new ServiceCurve(path, report.Model?.Name ?? "?", chosen, $"{cfg.Scenario} latency{through}, drawn from min/p50/p90/p95/p99/p99.9/max",
            servicePoints, new QuantileServiceTime(distributions));
    }
}

/// <summary>A service-time curve and where it came from.</summary>
/// <param name="Path">The bench report file.</param>
/// <param name="Model">The model the report measured.</param>
/// <param name="Threads">The thread count of the points used (0 = backend default).</param>
/// <param name="Basis">Which figures became service times, and how they are drawn.</param>
/// <param name="Points">The measured p50 and p99 per batch size, sorted by batch size.</param>
/// <param name="Service">The service-time model.</param>
internal sealed record ServiceCurve(string Path, string Model, int Threads, string Basis, IReadOnlyList<ServicePoint> Points, IServiceTimeModel Service)
{
    public IReadOnlyList<ServicePoint> Sorted => [.. Points.OrderBy(p => p.Batch)];

    public string ThreadsText => Threads == 0 ? "default" : Threads.ToString(CultureInfo.InvariantCulture);
}
