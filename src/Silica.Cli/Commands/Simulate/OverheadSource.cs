using System.Globalization;
using Silica.Benchmarking.Inference;
using Silica.Prediction.Serving;
using Silica.Runtime.Batching;

namespace Silica.Cli.Commands.Simulate;

/// <summary>
/// Where the platform overhead comes from: <c>--overhead 3ms</c> or <c>--overhead p50=3ms,p90=5ms,p99=12ms</c> given by
/// hand, or <c>--calibrate light.json</c>, a <c>silica bench --scenario server</c> run of the same batcher at a light
/// load, whose gap to the simulation at p50, p90 and p99 is the overhead.
/// </summary>
internal static class OverheadSource
{
    /// <summary>Parses <c>3ms</c> (every percentile) or <c>p50=3ms,p90=5ms,p99=12ms</c>.</summary>
    public static RequestOverhead Parse(string text)
    {
        if (!text.Contains('=', StringComparison.Ordinal))
        {
            return RequestOverhead.Constant(Parsing.Duration(text, "--overhead"));
        }
        var quantiles = new List<ServiceQuantile>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 2 || part[0] != 'p'
                || !double.TryParse(part[1..eq], NumberStyles.Float, CultureInfo.InvariantCulture, out var percentile) || !(percentile >= 0 && percentile <= 100))
            {
                throw new UsageException($"--overhead expects a duration like 3ms or percentiles like p50=3ms,p99=12ms; got '{part}'");
            }
            if (quantiles.Any(q => q.Probability == percentile / 100))
            {
                throw new UsageException($"--overhead gives p{part[1..eq]} twice");
            }
            quantiles.Add(new ServiceQuantile(percentile / 100, Parsing.Duration(part[(eq + 1)..], "--overhead").TotalSeconds));
        }
        return quantiles.Count > 0 ? new RequestOverhead(quantiles) : throw new UsageException("--overhead needs at least one percentile");
    }

    /// <summary>The overhead measured by a light-load server run of the same batcher.</summary>
    /// <exception cref="UsageException">The file is missing, not a server run behind this batcher, or has no latency.</exception>
    public static Calibration Calibrate(string path, BatcherOptions batcher, BatcherPolicy policy, ServiceCurve curve, SimulationOptions options)
    {
        if (!File.Exists(path))
        {
            throw new UsageException($"--calibrate: no file '{path}' (write one with 'silica bench <model> --scenario server --batching ... --qps <light rate> --json {path}')");
        }
        BenchReport report;
        try
        {
            report = BenchReportJson.Deserialize(File.ReadAllText(path));
        }
        catch (FormatException e)
        {
            throw new UsageException($"--calibrate '{path}': {e.Message}");
        }
        var cfg = report.Configuration ?? throw new UsageException($"--calibrate '{path}': not a bench report (no configuration)");
        if (!cfg.Scenario.Equals("Server", StringComparison.OrdinalIgnoreCase) || cfg.Batching is null)
        {
            throw new UsageException($"--calibrate '{path}' is a {cfg.Scenario} run{(cfg.Batching is null ? " without a batcher" : "")}; it must be a server run behind the batcher being simulated");
        }
        var expected = Describe(batcher);
        if (!string.Equals(cfg.Batching, expected, StringComparison.Ordinal))
        {
            throw new UsageException($"--calibrate '{path}' ran batcher {cfg.Batching}, not {expected}");
        }
        var point = (report.Points ?? []).FirstOrDefault(p => p.Threads == curve.Threads)
            ?? throw new UsageException($"--calibrate '{path}' has no point at threads {curve.ThreadsText}, the curve's");
        if (point.BatchSize != policy.RowsPerRequest)
        {
            throw new UsageException($"--calibrate '{path}' sent {point.BatchSize} rows per request, not {policy.RowsPerRequest} (--rows)");
        }
        var latency = point.Result?.Latency;
        var qps = point.Result?.Settings?.TargetQps ?? 0;
        if (latency is null || !(latency.P50Us > 0) || !(latency.P99Us > 0) || !(qps > 0))
        {
            throw new UsageException($"--calibrate '{path}' has no measured latency");
        }
        var measured = new MeasuredLatency(latency.P50Us / 1e6, latency.P90Us / 1e6, latency.P99Us / 1e6);
        return new Calibration(path, qps, measured, BatcherSimulator.CalibrateOverhead(policy, curve.Service, qps, measured, options));
    }

    /// <summary>The batcher as <c>silica bench</c> records it in its report.</summary>
    private static string Describe(BatcherOptions b) =>
        FormattableString.Invariant($"max={b.MaxBatchSize},delay={b.MaxQueueDelay.TotalMilliseconds}ms,queue={b.MaxQueueSize},instances={b.InstanceCount}") +
        (b.PreferredBatchSizes.Count > 0 ? $",preferred={string.Join('/', b.PreferredBatchSizes)}" : "");
}

/// <summary>A platform overhead measured from a light-load run.</summary>
/// <param name="Path">The server run's report.</param>
/// <param name="Qps">Its arrival rate.</param>
/// <param name="Measured">Its latency percentiles.</param>
/// <param name="Overhead">The gap to the simulation at that rate.</param>
internal sealed record Calibration(string Path, double Qps, MeasuredLatency Measured, RequestOverhead Overhead);
