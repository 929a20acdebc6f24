using Silica.Benchmarking.Inference;
using Silica.Benchmarking.Remote;
using Silica.Benchmarking.Scenarios;
using Silica.Serving;
using Silica.Serving.Grpc;
using Silica.Serving.Hosting;

namespace Silica.Benchmarking.Tests.Remote;

/// <summary>The bench client against Silica's own server: ModelServer behind ServerHost with REST and gRPC on real ports.</summary>
public sealed class FullStackInteropTests
{
    [Theory]
    [InlineData(RemoteProtocol.Json)]
    [InlineData(RemoteProtocol.Binary)]
    [InlineData(RemoteProtocol.Grpc)]
    public async Task RunAsync_AgainstSilicaServer_NoFailures(RemoteProtocol protocol)
    {
        await using var server = ModelServer.ForModel("zoo:mlp", "mlp");
        await server.StartAsync();
        await using var host = ServerHost.Build(new ServerHostOptions { Host = "127.0.0.1", HttpPort = 0, GrpcPort = 0 }, server,
            b => b.Services.AddInferenceGrpc(server), app => GrpcEndpoints.Map(app));
        await host.StartAsync();
        var url = protocol == RemoteProtocol.Grpc ? host.GrpcAddress! : host.HttpAddress;
        var options = new InferenceBenchmarkOptions
        {
            Scenario = Scenario.Concurrency,
            Concurrency = 2,
            BatchSizes = [1, 3],
            Warmup = TimeSpan.FromMilliseconds(100),
            MinDuration = TimeSpan.FromMilliseconds(300),
            MaxDuration = TimeSpan.FromMilliseconds(600),
            MinQueries = 10,
            RequireStability = false,
        };

        var report = await RemoteBenchmark.RunAsync(new RemoteTarget(url, "mlp", protocol), options);

        foreach (var p in report.Points)
        {
            Assert.True(p.Result.Counts.Completed >= 10, $"batch {p.BatchSize}: {p.Result.Counts.Completed}");
            Assert.Equal(0, p.Result.Counts.Failed);
        }
        await host.StopAsync();
    }
}
