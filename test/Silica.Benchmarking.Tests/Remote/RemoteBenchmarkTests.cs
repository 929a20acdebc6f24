using Silica.Benchmarking.Inference;
using Silica.Benchmarking.Remote;
using Silica.Benchmarking.Scenarios;
using Silica.Serving.Tests.Grpc;

namespace Silica.Benchmarking.Tests.Remote;

/// <summary>The bench client against a real Kestrel serving zoo:mlp, over each protocol.</summary>
public sealed class RemoteBenchmarkTests : IAsyncLifetime
{
    private readonly CpuInferenceServer _server = new();
    private RestTestHost? _host;

    public async Task InitializeAsync() => _host = await RestTestHost.StartAsync(_server);

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        _server.Dispose();
    }

    private static InferenceBenchmarkOptions ShortClosedLoop => new()
    {
        Scenario = Scenario.Concurrency,
        Concurrency = 2,
        BatchSizes = [1, 4],
        Warmup = TimeSpan.FromMilliseconds(100),
        MinDuration = TimeSpan.FromMilliseconds(300),
        MaxDuration = TimeSpan.FromMilliseconds(600),
        MinQueries = 10,
        RequireStability = false,
    };

    [Theory]
    [InlineData(RemoteProtocol.Json)]
    [InlineData(RemoteProtocol.Binary)]
    [InlineData(RemoteProtocol.Grpc)]
    public async Task RunAsync_ClosedLoopOverEachProtocol_CountsEveryRequestTheServerRan(RemoteProtocol protocol)
    {
        var before = _server.Completed;

        var report = await RemoteBenchmark.RunAsync(Target(protocol), ShortClosedLoop);

        Assert.Equal([1, 4], report.Points.Select(p => p.BatchSize));
        foreach (var p in report.Points)
        {
            var r = p.Result;
            Assert.True(r.Counts.Completed >= 10, $"batch {p.BatchSize}: {r.Counts.Completed} completed");
            Assert.Equal(0, r.Counts.Failed);
            Assert.Equal(r.Throughput.QueriesPerSecond * p.BatchSize, r.Throughput.SamplesPerSecond, 3);
            Assert.InRange(r.Latency.P50Us, 1, 1_000_000);
            Assert.Equal("not measured", p.Energy.Source);
        }
        // Every measured query reached the model (plus warm-up and the two preparation requests per point).
        var measured = report.Points.Sum(p => p.Result.Counts.Completed);
        Assert.True(_server.Completed - before >= measured + 4, $"server ran {_server.Completed - before}, client measured {measured}");
        Assert.StartsWith($"remote {protocol.ToString().ToLowerInvariant()}", report.Backend, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(RemoteProtocol.Json)]
    [InlineData(RemoteProtocol.Grpc)]
    public async Task RunAsync_UnknownModel_FailsWithTheServersMessage(RemoteProtocol protocol)
    {
        var target = Target(protocol) with { Model = "nope" };

        var e = await Assert.ThrowsAsync<RemoteInferenceException>(() => RemoteBenchmark.RunAsync(target, ShortClosedLoop));

        Assert.Contains("unknown model 'nope'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NothingListening_FailsWithCannotReach()
    {
        var target = new RemoteTarget(new Uri("http://127.0.0.1:1"), "mlp", RemoteProtocol.Json);

        var e = await Assert.ThrowsAsync<RemoteInferenceException>(() => RemoteBenchmark.RunAsync(target, ShortClosedLoop));

        Assert.Contains("cannot reach", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_ServerScenario_ReportsTheTargetRate()
    {
        var options = ShortClosedLoop with { Scenario = Scenario.Server, TargetQps = 100, BatchSizes = [1], LatencyBound = TimeSpan.FromSeconds(1) };

        var report = await RemoteBenchmark.RunAsync(Target(RemoteProtocol.Grpc), options);

        var r = Assert.Single(report.Points).Result;
        Assert.Equal(100, r.Settings.TargetQps);
        Assert.Equal(0, r.Counts.Failed);
        Assert.InRange(r.Throughput.QueriesPerSecond, 30, 300);
    }

    private RemoteTarget Target(RemoteProtocol protocol) =>
        new(protocol == RemoteProtocol.Grpc ? _host!.GrpcAddress : _host!.RestAddress, "mlp", protocol);
}
