using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Silica.Serving.Metrics;

/// <summary>
/// The server's request metrics, per model and version: published as <see cref="System.Diagnostics.Metrics"/>
/// instruments on the <c>Silica.Serving</c> meter (for OpenTelemetry) and rendered as Prometheus text by
/// <see cref="Render"/> from Silica's own counters, so <c>/metrics</c> needs no exporter package.
/// </summary>
public sealed class ServingMetrics : IDisposable
{
    /// <summary>The content type of <see cref="Render"/>'s output.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly ConcurrentDictionary<(string Model, string Version), VersionStats> _versions = new();
    private readonly Meter _meter;
    private readonly Counter<long> _success;
    private readonly Counter<long> _failure;
    private readonly Counter<long> _inferences;
    private readonly Histogram<double> _queue;
    private readonly Histogram<double> _compute;
    private readonly Histogram<double> _total;

    /// <summary>Creates the metrics and their instruments.</summary>
    public ServingMetrics()
    {
        _meter = new Meter(ServingTelemetry.MeterName);
        _success = _meter.CreateCounter<long>("silica.request.success", "{request}", "Inference requests that succeeded.");
        _failure = _meter.CreateCounter<long>("silica.request.failure", "{request}", "Inference requests that failed, by reason.");
        _inferences = _meter.CreateCounter<long>("silica.inference.count", "{inference}", "Rows inferred (the batch dimension of successful requests).");
        _queue = _meter.CreateHistogram<double>("silica.request.queue.duration", "s", "Time requests waited in the batcher's queue.");
        _compute = _meter.CreateHistogram<double>("silica.request.compute.duration", "s", "Time from batch start to the request's result.");
        _total = _meter.CreateHistogram<double>("silica.request.duration", "s", "Time the server spent on a request.");
        _meter.CreateObservableGauge("silica.request.inflight", () => Observe(s => s.InFlight), "{request}", "Requests being served.");
        _meter.CreateObservableGauge("silica.request.pending", () => Observe(s => s.Pending), "{request}", "Requests waiting in batcher queues.");
        _meter.CreateObservableCounter("silica.execution.count", () => Observe(s => s.Executions), "{batch}", "Batches executed.");
    }

    /// <summary>The counters of one model version, created on first use.</summary>
    internal VersionStats For(string model, string version) =>
        _versions.GetOrAdd((model, version), static k => new VersionStats(k.Model, k.Version));

    /// <summary>The counters of one model version, or null before its first use.</summary>
    internal VersionStats? Find(string model, string version) => _versions.GetValueOrDefault((model, version));

    internal void RecordSuccess(VersionStats stats, long rows, TimeSpan queue, TimeSpan total, long nowUnixMs)
    {
        stats.RecordSuccess(rows, queue, total, nowUnixMs);
        // Tags box nothing (strings), but building them costs; skip it when no listener is on.
        if (_success.Enabled)
        {
            _success.Add(1, Tag(ServingTelemetry.ModelTag, stats.Model), Tag(ServingTelemetry.VersionTag, stats.Version));
        }
        if (_inferences.Enabled)
        {
            _inferences.Add(rows, Tag(ServingTelemetry.ModelTag, stats.Model), Tag(ServingTelemetry.VersionTag, stats.Version));
        }
        if (_queue.Enabled)
        {
            _queue.Record(queue.TotalSeconds, Tag(ServingTelemetry.ModelTag, stats.Model), Tag(ServingTelemetry.VersionTag, stats.Version));
        }
        if (_compute.Enabled)
        {
            _compute.Record((total - queue).TotalSeconds, Tag(ServingTelemetry.ModelTag, stats.Model), Tag(ServingTelemetry.VersionTag, stats.Version));
        }
        if (_total.Enabled)
        {
            _total.Record(total.TotalSeconds, Tag(ServingTelemetry.ModelTag, stats.Model), Tag(ServingTelemetry.VersionTag, stats.Version));
        }
    }

    internal void RecordFailure(VersionStats stats, FailureReason reason, TimeSpan total)
    {
        stats.RecordFailure(reason, total);
        if (_failure.Enabled)
        {
            _failure.Add(1, Tag(ServingTelemetry.ModelTag, stats.Model), Tag(ServingTelemetry.VersionTag, stats.Version), Tag("reason", reason.Label()));
        }
        if (_total.Enabled)
        {
            _total.Record(total.TotalSeconds, Tag(ServingTelemetry.ModelTag, stats.Model), Tag(ServingTelemetry.VersionTag, stats.Version));
        }
    }

    /// <summary>Every model version's counters as Prometheus text exposition (format 0.0.4).</summary>
    public string Render()
    {
        var versions = _versions.Values.OrderBy(v => v.Model, StringComparer.Ordinal).ThenBy(v => v.Version, StringComparer.Ordinal).ToArray();
        var text = new StringBuilder(4096);
        Family(text, "silica_request_success_total", "counter", "Inference requests that succeeded.", versions, v => v.Success);
        Header(text, "silica_request_failure_total", "counter", "Inference requests that failed, by reason.");
        foreach (var v in versions)
        {
            for (var r = 0; r < FailureReasons.Count; r++)
            {
                text.Append(CultureInfo.InvariantCulture, $"silica_request_failure_total{{{v.Labels},reason=\"{FailureReasons.Labels[r]}\"}} {v.Failures((FailureReason)r)}\n");
            }
        }
        Family(text, "silica_inference_count_total", "counter", "Rows inferred (the batch dimension of successful requests).", versions, v => v.Inferences);
        Family(text, "silica_execution_count_total", "counter", "Batches executed; inference_count / execution_count is the average batch size.", versions, v => v.Executions);
        Histogram(text, "silica_queue_duration_seconds", "Time requests waited in the batcher's queue.", versions, v => v.Queue);
        Histogram(text, "silica_compute_duration_seconds", "Time from batch start to the request's result.", versions, v => v.Compute);
        Histogram(text, "silica_request_duration_seconds", "Time the server spent on a request, failures included.", versions, v => v.Total);
        Family(text, "silica_inflight_requests", "gauge", "Requests being served now.", versions, v => v.InFlight);
        Family(text, "silica_pending_requests", "gauge", "Requests waiting in batcher queues now.", versions, v => v.Pending);
        return text.ToString();
    }

    /// <summary>Releases the meter.</summary>
    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    private IEnumerable<Measurement<long>> Observe(Func<VersionStats, long> read)
    {
        foreach (var v in _versions.Values)
        {
            yield return new Measurement<long>(read(v), Tag(ServingTelemetry.ModelTag, v.Model), Tag(ServingTelemetry.VersionTag, v.Version));
        }
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");

    private static void Family(StringBuilder text, string name, string type, string help, VersionStats[] versions, Func<VersionStats, long> read)
    {
        Header(text, name, type, help);
        foreach (var v in versions)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}{{{v.Labels}}} {read(v)}\n");
        }
    }

    private static void Histogram(StringBuilder text, string name, string help, VersionStats[] versions, Func<VersionStats, DurationHistogram> read)
    {
        Header(text, name, "histogram", help);
        foreach (var v in versions)
        {
            read(v).Render(text, name, v.Labels);
        }
    }
}
