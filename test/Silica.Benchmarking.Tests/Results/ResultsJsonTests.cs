using Silica.Benchmarking.Results;
using Silica.Benchmarking.Scenarios;
using Silica.Benchmarking.Stopping;
using Silica.Benchmarking.SystemsUnderTest;

namespace Silica.Benchmarking.Tests.Results;

public class ResultsJsonTests
{
    [Fact]
    public async Task Serialize_MeasuredResult_RoundTripsEqual()
    {
        var measured = await LoadGenerator.RunAsync(new InstantSystemUnderTest(), QuickServer());
        var result = measured with { Environment = EnvironmentInfo.Capture() with { OnnxRuntimeVersion = "1.31.1", ModelHash = "sha256:abc", Device = "cpu" } };

        var json = ResultsJson.Serialize(result);
        var back = ResultsJson.DeserializeResult(json);

        Assert.Equal(result, back);
        Assert.NotEmpty(back.Windows);
        Assert.Contains("\"schemaVersion\": 1", json, StringComparison.Ordinal);
        Assert.Contains("\"scenario\": \"Server\"", json, StringComparison.Ordinal);
        Assert.Contains("\"latencyBoundMet\": true", json, StringComparison.Ordinal);
        Assert.Contains("\"p999Us\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Equals_DifferentWindow_NotEqual()
    {
        var a = Sample();
        var b = a with { Windows = [new WindowResult { QueriesPerSecond = 2 }] };

        Assert.NotEqual(a, b);
        Assert.Equal(a, a with { Windows = [.. a.Windows] });
    }

    [Fact]
    public void Serialize_Curve_RoundTripsEqual()
    {
        var curve = new BatchLatencyCurve
        {
            Scenario = Scenario.MultiStream,
            StartTimeUtc = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
            Points = [new BatchLatencyPoint { BatchSize = 1, P50Us = 10, P90Us = 12, P99Us = 15, QueriesPerSecond = 100, SamplesPerSecond = 100, StabilityReached = true },
                      new BatchLatencyPoint { BatchSize = 8, P50Us = 40, P90Us = 45, P99Us = 50, QueriesPerSecond = 25, SamplesPerSecond = 200 }],
            Environment = new EnvironmentInfo { CpuModel = "Test CPU", LogicalCores = 2 },
        };

        var back = ResultsJson.DeserializeCurve(ResultsJson.Serialize(curve));

        Assert.Equal(curve, back);
    }

    [Theory]
    [InlineData(0, "re-run the benchmark")]
    [InlineData(2, "upgrade Silica")]
    [InlineData(99, "upgrade Silica")]
    public void DeserializeResult_UnknownSchemaVersion_RejectedWithClearMessage(int version, string advice)
    {
        var json = ResultsJson.Serialize(Sample()).Replace("\"schemaVersion\": 1", $"\"schemaVersion\": {version}", StringComparison.Ordinal);

        var error = Assert.Throws<InvalidDataException>(() => ResultsJson.DeserializeResult(json));

        Assert.Contains($"schemaVersion {version}", error.Message, StringComparison.Ordinal);
        Assert.Contains(advice, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"schemaVersion\": \"1\"}")]
    [InlineData("[1]")]
    public void DeserializeResult_NoIntegerSchemaVersion_Rejected(string json)
    {
        var error = Assert.Throws<InvalidDataException>(() => ResultsJson.DeserializeResult(json));

        Assert.Contains("schemaVersion", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DeserializeCurve_Malformed_InvalidData()
    {
        Assert.Throws<InvalidDataException>(() => ResultsJson.DeserializeCurve("{\"schemaVersion\": 1, \"points\": 5}"));
    }

    private static RunSettings QuickServer() => new()
    {
        Scenario = Scenario.Server,
        TargetQps = 2000,
        TargetLatency = TimeSpan.FromSeconds(1),
        MinDuration = TimeSpan.FromMilliseconds(300),
        MaxDuration = TimeSpan.FromMilliseconds(300),
        WindowDuration = TimeSpan.FromMilliseconds(100),
        RequireStability = false,
    };

    private static BenchmarkResult Sample() => new()
    {
        Scenario = Scenario.Offline,
        Settings = new RunSettings { Scenario = Scenario.Offline, SamplesPerQuery = 8 },
        StartTimeUtc = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        Duration = TimeSpan.FromSeconds(10),
        Counts = new QueryCounts { Issued = 10, Completed = 9, Failed = 1, CompletedSamples = 72 },
        Throughput = new Throughput { QueriesPerSecond = 0.9, SamplesPerSecond = 7.2, IssuedQueriesPerSecond = 1 },
        Latency = new LatencySummary { Count = 9, P50Us = 1, P90Us = 2, P95Us = 3, P99Us = 4, P999Us = 5, MaxUs = 6, MeanUs = 2.5, MinUs = 0.5 },
        StopReason = StopReason.Stable,
        StabilityReached = true,
        Windows = [new WindowResult { StartSeconds = 0, DurationSeconds = 1, CompletedQueries = 1, QueriesPerSecond = 1, SamplesPerSecond = 8, P50Us = 1, P99Us = 4 }],
    };
}
