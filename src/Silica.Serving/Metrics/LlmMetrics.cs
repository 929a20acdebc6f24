using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Silica.Runtime.Generation;

namespace Silica.Serving.Metrics;

/// <summary>
/// Metrics of text generation, per model, named as vLLM names them with Silica's <c>silica_</c> prefix: time to first
/// token, time per output token, inter-token latency and end-to-end latency histograms; prompt and generation token
/// counters; finished requests by reason; and the engine's KV-cache usage, running and waiting gauges, read from
/// <see cref="IGenerationEngine.Stats"/> at scrape time. The histograms share <c>silica_*_seconds</c>' fixed bucket
/// bounds so replicas aggregate. The same measurements go to the <c>Silica.Serving</c> meter as OpenTelemetry's
/// <c>gen_ai.server.*</c> instruments.
/// </summary>
public sealed class LlmMetrics : IDisposable
{
    private readonly ConcurrentDictionary<string, LlmModelStats> _models = new(StringComparer.Ordinal);
    private readonly Meter _meter;
    private readonly Histogram<double> _ttft;
    private readonly Histogram<double> _tpot;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _tokens;

    /// <summary>Creates the metrics and their OpenTelemetry instruments.</summary>
    public LlmMetrics()
    {
        _meter = new Meter(ServingTelemetry.MeterName);
        _ttft = _meter.CreateHistogram<double>("gen_ai.server.time_to_first_token", "s", "Time to generate the first token of a successful request.");
        _tpot = _meter.CreateHistogram<double>("gen_ai.server.time_per_output_token", "s", "Time per output token after the first, per successful request.");
        _duration = _meter.CreateHistogram<double>("gen_ai.server.request.duration", "s", "Generative AI server request duration.");
        _tokens = _meter.CreateCounter<long>("silica.gen_ai.tokens", "{token}", "Prompt (input) and generated (output) tokens.");
    }

    /// <summary>The counters of one model, created on first use.</summary>
    internal LlmModelStats For(string model) => _models.GetOrAdd(model, static m => new LlmModelStats(m));

    internal void RecordFirstToken(LlmModelStats stats, TimeSpan ttft)
    {
        stats.TimeToFirstToken.Record(ttft);
        if (_ttft.Enabled)
        {
            _ttft.Record(ttft.TotalSeconds, Tag(GenAiTelemetry.RequestModel, stats.Model));
        }
    }

    internal static void RecordInterToken(LlmModelStats stats, TimeSpan gap) => stats.InterTokenLatency.Record(gap);

    /// <summary>A request that ended (stopped, hit its length, or was cancelled by its client).</summary>
    internal void RecordFinished(LlmModelStats stats, FinishReason reason, int promptTokens, int completionTokens, TimeSpan? ttft, TimeSpan total)
    {
        stats.AddFinished(reason switch { FinishReason.Stop => 0, FinishReason.Length => 1, _ => 2 });
        stats.AddTokens(promptTokens, completionTokens);
        stats.EndToEnd.Record(total);
        TimeSpan? tpot = ttft is { } first && completionTokens > 1 ? (total - first) / (completionTokens - 1) : null;
        if (tpot is { } t)
        {
            stats.TimePerOutputToken.Record(t);
        }
        var model = Tag(GenAiTelemetry.RequestModel, stats.Model);
        if (_duration.Enabled)
        {
            _duration.Record(total.TotalSeconds, model);
        }
        if (tpot is { } t2 && _tpot.Enabled)
        {
            _tpot.Record(t2.TotalSeconds, model);
        }
        if (_tokens.Enabled)
        {
            _tokens.Add(promptTokens, model, Tag("gen_ai.token.type", "input"));
            _tokens.Add(completionTokens, model, Tag("gen_ai.token.type", "output"));
        }
    }

    /// <summary>A request refused or failed before it produced a result.</summary>
    internal void RecordFailure(LlmModelStats stats, TimeSpan total, string errorType)
    {
        stats.AddFailure();
        if (_duration.Enabled)
        {
            _duration.Record(total.TotalSeconds, Tag(GenAiTelemetry.RequestModel, stats.Model), Tag(GenAiTelemetry.ErrorType, errorType));
        }
    }

    /// <summary>Appends the metrics as Prometheus text (format 0.0.4), with the gauges of <paramref name="engines"/>.</summary>
    public void Render(StringBuilder text, IReadOnlyList<IGenerationEngine> engines)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(engines);
        foreach (var e in engines)
        {
            _ = For(e.ModelName); // every served model shows, with zeros, before its first request
        }
        var models = _models.Values.OrderBy(m => m.Model, StringComparer.Ordinal).ToArray();
        Histogram(text, "silica_time_to_first_token_seconds", "Time from a request's arrival to its first generated token.", models, m => m.TimeToFirstToken);
        Histogram(text, "silica_time_per_output_token_seconds", "Mean time per output token after the first, per request (TPOT).", models, m => m.TimePerOutputToken);
        Histogram(text, "silica_inter_token_latency_seconds", "Time between successive tokens of a sequence.", models, m => m.InterTokenLatency);
        Histogram(text, "silica_e2e_request_latency_seconds", "Time from a generation request's arrival to its last token.", models, m => m.EndToEnd);
        Family(text, "silica_prompt_tokens_total", "counter", "Prompt tokens of finished requests.", models, m => m.PromptTokens);
        Family(text, "silica_generation_tokens_total", "counter", "Tokens generated for finished requests.", models, m => m.GenerationTokens);
        Header(text, "silica_generation_requests_total", "counter", "Generation requests that finished, by finish reason (abort: the client went away).");
        foreach (var m in models)
        {
            for (var r = 0; r < LlmModelStats.FinishLabels.Length; r++)
            {
                text.Append(CultureInfo.InvariantCulture, $"silica_generation_requests_total{{{m.Labels},finished_reason=\"{LlmModelStats.FinishLabels[r]}\"}} {m.Finished(r)}\n");
            }
        }
        Family(text, "silica_generation_request_failures_total", "counter", "Generation requests refused or failed (bad input, queue full, errors).", models, m => m.Failures);
        var gauges = engines.Select(e => (Stats: For(e.ModelName), Engine: e.Stats)).OrderBy(g => g.Stats.Model, StringComparer.Ordinal).ToArray();
        Gauge(text, "silica_num_requests_running", "gauge", "Sequences in the engine's running batch.", gauges, s => s.Running);
        Gauge(text, "silica_num_requests_waiting", "gauge", "Sequences waiting for admission to the running batch.", gauges, s => s.Waiting);
        Gauge(text, "silica_kv_cache_usage_perc", "gauge", "Fraction of the KV-cache blocks in use (1 means full).", gauges, s => s.KvUsage);
        Gauge(text, "silica_kv_cache_blocks_used", "gauge", "KV-cache blocks in use.", gauges, s => s.KvBlocksUsed);
        Gauge(text, "silica_kv_cache_blocks_total", "gauge", "KV-cache blocks in the pool.", gauges, s => s.KvBlocksTotal);
        Gauge(text, "silica_num_preemptions_total", "counter", "Sequences preempted (their cache blocks released) since start.", gauges, s => s.Preempted);
    }

    /// <summary>Releases the meter.</summary>
    public void Dispose() => _meter.Dispose();

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n");

    private static void Family(StringBuilder text, string name, string type, string help, LlmModelStats[] models, Func<LlmModelStats, long> read)
    {
        Header(text, name, type, help);
        foreach (var m in models)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}{{{m.Labels}}} {read(m)}\n");
        }
    }

    private static void Gauge(StringBuilder text, string name, string type, string help, (LlmModelStats Stats, GenerationStats Engine)[] gauges, Func<GenerationStats, double> read)
    {
        Header(text, name, type, help);
        foreach (var (stats, engine) in gauges)
        {
            text.Append(CultureInfo.InvariantCulture, $"{name}{{{stats.Labels}}} {read(engine).ToString("R", CultureInfo.InvariantCulture)}\n");
        }
    }

    private static void Histogram(StringBuilder text, string name, string help, LlmModelStats[] models, Func<LlmModelStats, DurationHistogram> read)
    {
        Header(text, name, "histogram", help);
        foreach (var m in models)
        {
            read(m).Render(text, name, m.Labels);
        }
    }
}
