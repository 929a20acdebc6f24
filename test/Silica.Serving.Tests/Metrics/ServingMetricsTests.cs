using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Silica.Onnx.Model;
using Silica.Serving.Core;
using Silica.Serving.Hosting;
using Silica.Serving.Metrics;
using Silica.Serving.Repository;
using Silica.Serving.Tests.Hosting;
using static Silica.Serving.Tests.Hosting.ServingFixtures;

namespace Silica.Serving.Tests.Metrics;

public sealed class ServingMetricsTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly TempRepository _repo = new();
    private ModelServer _server = null!;

    public async Task InitializeAsync()
    {
        _repo.AddModel("mlp", 1, Mlp());
        _server = new ModelServer(new ModelRepository(_repo.Root), Options);
        await _server.StartAsync(Ct);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _repo.Dispose();
    }

    [Fact]
    public async Task Render_AfterRequests_CountersAndHistogramsParseAndAgree()
    {
        for (var i = 0; i < 5; i++)
        {
            await _server.InferAsync(MlpRequest(rows: i + 1), Ct);
        }
        await Assert.ThrowsAsync<InvalidRequestException>(() => _server.InferAsync(new InferenceRequest("mlp", null, null, [new NamedTensor("x", TensorDataType.Float, [1, 16], new byte[3])]), Ct).AsTask());

        var samples = Parse(_server.Metrics.Render());

        const string L = "model=\"mlp\",version=\"1\"";
        Assert.Equal(5, samples[$"silica_request_success_total{{{L}}}"]);
        Assert.Equal(1, samples[$"silica_request_failure_total{{{L},reason=\"invalid\"}}"]);
        Assert.Equal(0, samples[$"silica_request_failure_total{{{L},reason=\"queue_full\"}}"]);
        Assert.Equal(1 + 2 + 3 + 4 + 5, samples[$"silica_inference_count_total{{{L}}}"]);
        Assert.Equal(5, samples[$"silica_execution_count_total{{{L}}}"]);
        Assert.Equal(0, samples[$"silica_inflight_requests{{{L}}}"]);
        Assert.Equal(0, samples[$"silica_pending_requests{{{L}}}"]);
        foreach (var (name, count) in new[] { ("silica_queue_duration_seconds", 5), ("silica_compute_duration_seconds", 5), ("silica_request_duration_seconds", 6) })
        {
            var buckets = samples.Where(s => s.Key.StartsWith(name + "_bucket{", StringComparison.Ordinal)).ToList();
            Assert.Equal(DurationHistogram.Bounds.Length + 1, buckets.Count);
            var values = buckets.Select(b => b.Value).ToList();
            Assert.Equal(values.Order(), values); // cumulative: never decreasing in exposition order
            Assert.Equal(count, samples[$"{name}_bucket{{{L},le=\"+Inf\"}}"]);
            Assert.Equal(count, samples[$"{name}_count{{{L}}}"]);
            Assert.True(samples[$"{name}_sum{{{L}}}"] >= 0);
        }
        Assert.True(samples[$"silica_request_duration_seconds_sum{{{L}}}"] > 0);
    }

    [Fact]
    public void Render_EveryFamilyHasHelpAndType()
    {
        var text = _server.Metrics.Render();

        foreach (var (family, type) in new[]
        {
            ("silica_request_success_total", "counter"), ("silica_request_failure_total", "counter"), ("silica_inference_count_total", "counter"),
            ("silica_execution_count_total", "counter"), ("silica_queue_duration_seconds", "histogram"), ("silica_compute_duration_seconds", "histogram"),
            ("silica_request_duration_seconds", "histogram"), ("silica_inflight_requests", "gauge"), ("silica_pending_requests", "gauge"),
        })
        {
            Assert.Contains($"# TYPE {family} {type}\n", text, StringComparison.Ordinal);
            Assert.Contains($"# HELP {family} ", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Histogram_Bounds_LogSpacedFixed()
    {
        var b = DurationHistogram.Bounds;

        Assert.Equal(1e-5, b[0]);
        Assert.Equal(50, b[^1]);
        for (var i = 1; i < b.Length; i++)
        {
            Assert.InRange(b[i] / b[i - 1], 2 - 1e-9, 2.5 + 1e-9);
        }
    }

    [Fact]
    public void Histogram_Record_LandsInFirstBucketAtOrAboveValue()
    {
        var h = new DurationHistogram();
        h.Record(TimeSpan.FromMicroseconds(10)); // exactly a bound: le is inclusive
        h.Record(TimeSpan.FromMilliseconds(3));
        h.Record(TimeSpan.FromMinutes(5));
        var text = new System.Text.StringBuilder();

        h.Render(text, "d", "m=\"x\"");

        var s = Parse(text.ToString());
        Assert.Equal(1, s["d_bucket{m=\"x\",le=\"1E-05\"}"]);
        Assert.Equal(1, s["d_bucket{m=\"x\",le=\"0.0025\"}"]);
        Assert.Equal(2, s["d_bucket{m=\"x\",le=\"0.005\"}"]);
        Assert.Equal(2, s["d_bucket{m=\"x\",le=\"50\"}"]);
        Assert.Equal(3, s["d_bucket{m=\"x\",le=\"+Inf\"}"]);
        Assert.Equal(300.00301, s["d_sum{m=\"x\"}"], 9);
    }

    [Fact]
    public async Task Meter_PublishesSuccessWithModelAndVersionTags()
    {
        var seen = new List<(string Instrument, long Value, string? Model, string? Version)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (i, l) =>
        {
            if (i.Meter.Name == ServingTelemetry.MeterName && i.Name == "silica.request.success")
            {
                l.EnableMeasurementEvents(i);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, value, tags, _) =>
        {
            string? model = null, version = null;
            foreach (var t in tags)
            {
                model = t.Key == ServingTelemetry.ModelTag ? (string?)t.Value : model;
                version = t.Key == ServingTelemetry.VersionTag ? (string?)t.Value : version;
            }
            lock (seen)
            {
                seen.Add((i.Name, value, model, version));
            }
        });
        listener.Start();

        await _server.InferAsync(MlpRequest(), Ct);

        lock (seen)
        {
            Assert.Contains(("silica.request.success", 1L, "mlp", "1"), seen);
        }
    }

    [Fact]
    public async Task ActivitySource_OneActivityPerRequestTaggedWithRequestId()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ServingTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (activities)
                {
                    activities.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        await _server.InferAsync(MlpRequest(id: "trace-me-42"), Ct);

        lock (activities)
        {
            var a = Assert.Single(activities, a => (string?)a.GetTagItem(ServingTelemetry.RequestIdTag) == "trace-me-42");
            Assert.Equal("infer", a.OperationName);
            Assert.Equal("mlp", a.GetTagItem(ServingTelemetry.ModelTag));
            Assert.Equal("1", a.GetTagItem(ServingTelemetry.VersionTag));
        }
    }

    [Fact]
    public async Task Statistics_MatchTheRequests()
    {
        await _server.InferAsync(MlpRequest(rows: 3), Ct);
        await Assert.ThrowsAsync<InvalidRequestException>(() => _server.InferAsync(MlpRequest() with { Outputs = [new RequestedOutput("q")] }, Ct).AsTask());

        var s = Assert.Single(_server.Statistics(null, null));

        Assert.Equal(("mlp", "1"), (s.Name, s.Version));
        Assert.Equal((3L, 1L, 1L, 1L), (s.InferenceCount, s.ExecutionCount, s.SuccessCount, s.FailureCount));
        Assert.Equal((1L, 1L), (s.QueueCount, s.ComputeCount));
        Assert.True(s.SuccessNs > 0 && s.ComputeNs > 0);
        Assert.True(s.LastInferenceUnixMs > DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds());
        Assert.Throws<ModelNotFoundException>(() => _server.Statistics("nope", null));
    }

    /// <summary>Parses exposition lines (<c>name{labels} value</c>) into a map, failing on any malformed line.</summary>
    private static Dictionary<string, double> Parse(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                Assert.Matches(@"^# (HELP|TYPE) [a-z_]+ .+$", line);
                continue;
            }
            var space = line.LastIndexOf(' ');
            Assert.True(space > 0, $"malformed line: {line}");
            var key = line[..space];
            Assert.Matches(@"^[a-z_]+\{([a-z_]+=""[^""]*"",?)+\}$", key);
            var value = line[(space + 1)..] == "+Inf" ? double.PositiveInfinity : double.Parse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.True(samples.TryAdd(key, value), $"duplicate series {key}");
        }
        return samples;
    }
}
