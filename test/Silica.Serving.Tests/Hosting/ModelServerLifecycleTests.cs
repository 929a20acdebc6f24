using Silica.Serving.Core;
using Silica.Serving.Hosting;
using Silica.Serving.Repository;
using static Silica.Serving.Tests.Hosting.ServingFixtures;

namespace Silica.Serving.Tests.Hosting;

public sealed class ModelServerLifecycleTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private readonly TempRepository _repo = new();

    public void Dispose() => _repo.Dispose();

    [Theory]
    [InlineData("truncated", "is not a valid ONNX model")]
    [InlineData("empty", "is empty, not an ONNX model")]
    [InlineData("text", "ONNX")]
    public async Task StartAsync_BrokenModelFile_ThatVersionFailedOthersServe(string kind, string reason)
    {
        var good = Mlp().ToBytes();
        _repo.AddModel("good", 1, Mlp());
        _repo.AddFile("broken", 1, kind switch
        {
            "truncated" => good[..(good.Length / 2)],
            "empty" => [],
            _ => "this is not a model"u8.ToArray(),
        });
        await using var server = new ModelServer(new ModelRepository(_repo.Root), Options);

        await server.StartAsync(Ct);

        Assert.False(server.IsReady);
        Assert.True(server.IsModelReady("good", null));
        Assert.False(server.IsModelReady("broken", "1"));
        var entry = Assert.Single(server.Index(readyOnly: false), e => e.Name == "broken");
        Assert.Equal(ModelState.Failed, entry.State);
        Assert.Contains(reason, entry.Reason, StringComparison.Ordinal);
        Assert.Contains("broken/1/model.onnx", entry.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(_repo.Root, entry.Reason, StringComparison.Ordinal);
        Assert.Equal(["good"], server.Index(readyOnly: true).Select(e => e.Name));
        await Assert.ThrowsAsync<ModelNotReadyException>(() => server.InferAsync(MlpRequest(model: "broken"), Ct).AsTask());
        Assert.Single((await server.InferAsync(MlpRequest(model: "good"), Ct)).Outputs);
    }

    [Fact]
    public async Task StartAsync_BadConfig_FailedWithConfigReason()
    {
        _repo.AddModel("m", 1, Mlp());
        _repo.AddConfig("m", """{"max_batch_size": "eight"}""");
        await using var server = new ModelServer(new ModelRepository(_repo.Root), Options);

        await server.StartAsync(Ct);

        var entry = Assert.Single(server.Index(false));
        Assert.Equal(ModelState.Failed, entry.State);
        Assert.Contains("config.json: wrong type of value at $.max_batch_size", entry.Reason, StringComparison.Ordinal);
        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => server.LoadAsync("m", Ct));
        Assert.Contains("failed to load", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_UnknownBackend_FailedNamingIt()
    {
        _repo.AddModel("m", 1, Mlp());
        _repo.AddConfig("m", """{"backend": "tpu"}""");
        await using var server = new ModelServer(new ModelRepository(_repo.Root), Options);

        await server.StartAsync(Ct);

        Assert.Contains("unknown backend 'tpu'", Assert.Single(server.Index(false)).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnloadAsync_RequestInFlight_FinishesOnOldVersionNewOnesNotReady()
    {
        // Row 24: the request sits in a 2 s batching window while the model is unloaded (long enough for a starved runner).
        _repo.AddModel("m", 1, Mlp());
        _repo.AddConfig("m", """{"max_queue_delay_microseconds": 2000000}""");
        await using var server = new ModelServer(new ModelRepository(_repo.Root), Options);
        await server.StartAsync(Ct);
        var expected = await server.InferAsync(MlpRequest(model: "m", seed: 4), Ct);

        var inFlight = server.InferAsync(MlpRequest(model: "m", seed: 4), Ct).AsTask();
        await ModelServerTests.WaitUntil(() => server.InFlight == 1);
        var unload = server.UnloadAsync("m", Ct);

        await Assert.ThrowsAsync<ModelNotReadyException>(() => server.InferAsync(MlpRequest(model: "m"), Ct).AsTask());
        Assert.False(unload.IsCompleted);
        Assert.Equal(expected.Outputs[0].Data.ToArray(), (await inFlight).Outputs[0].Data.ToArray());
        await unload;
        Assert.Equal(0, server.LiveVersionCount);
        Assert.False(server.IsModelReady("m", null));
        Assert.True(server.IsReady); // an operator's unload does not make the server unready
        Assert.Equal(ModelState.Unavailable, Assert.Single(server.Index(false)).State);

        await server.LoadAsync("m", Ct);
        Assert.Single((await server.InferAsync(MlpRequest(model: "m"), Ct)).Outputs);
    }

    [Fact]
    public async Task LoadAsync_ConcurrentReloadsUnloadsAndRequests_ConsistentAndNothingLeaks()
    {
        // Row 25: reloads and unloads race each other and a stream of requests.
        _repo.AddModel("m", 1, Mlp());
        await using var server = new ModelServer(new ModelRepository(_repo.Root), Options);
        await server.StartAsync(Ct);
        var expected = (await server.InferAsync(MlpRequest(model: "m", seed: 9), Ct)).Outputs[0].Data.ToArray();
        using var stop = new CancellationTokenSource();
        var served = 0;
        var notReady = 0;

        var clients = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var r = await server.InferAsync(MlpRequest(model: "m", seed: 9), Ct);
                    Assert.Equal(expected, r.Outputs[0].Data.ToArray());
                    Interlocked.Increment(ref served);
                }
                catch (ModelNotReadyException)
                {
                    Interlocked.Increment(ref notReady);
                }
            }
        })).ToArray();
        var admins = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            for (var k = 0; k < 4; k++)
            {
                if ((i + k) % 3 == 2)
                {
                    await server.UnloadAsync("m", Ct);
                }
                else
                {
                    await server.LoadAsync("m", Ct);
                }
            }
        })).ToArray();
        await Task.WhenAll(admins);
        await server.LoadAsync("m", Ct);
        // The clients are served again after the last load (waiting for it, not a fixed time, suits a starved runner).
        var afterLoad = Volatile.Read(ref served);
        await ModelServerTests.WaitUntil(() => Volatile.Read(ref served) > afterLoad);
        await stop.CancelAsync();
        await Task.WhenAll(clients);

        Assert.True(served > 0);
        Assert.True(server.IsModelReady("m", "1"));
        Assert.Equal(ModelState.Ready, Assert.Single(server.Index(false)).State);
        await ModelServerTests.WaitUntil(() => server.LiveVersionCount == 1);
        var stats = Assert.Single(server.Statistics("m", null));
        Assert.Equal(served + 1, stats.SuccessCount);
        Assert.Equal(0, server.InFlight);
    }

    [Fact]
    public async Task BeginShutdown_ReadinessFalseAtOnce_DrainWaitsForInFlight()
    {
        // Row 35.
        _repo.AddModel("m", 1, Mlp());
        // The request waits 2 s in the batcher, so it is still in flight however slowly this test reaches the drain.
        _repo.AddConfig("m", """{"max_queue_delay_microseconds": 2000000}""");
        await using var server = new ModelServer(new ModelRepository(_repo.Root), Options);
        await server.StartAsync(Ct);
        Assert.True(server.IsReady);
        var inFlight = server.InferAsync(MlpRequest(model: "m"), Ct).AsTask();
        await ModelServerTests.WaitUntil(() => server.InFlight == 1);

        server.BeginShutdown();

        Assert.False(server.IsReady);
        Assert.True(server.IsLive);
        await Assert.ThrowsAsync<ModelNotReadyException>(() => server.InferAsync(MlpRequest(model: "m"), Ct).AsTask());
        Assert.False(await server.DrainAsync(TimeSpan.FromMilliseconds(10)));
        Assert.True(await server.DrainAsync(TimeSpan.FromSeconds(10)));
        Assert.True(inFlight.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task ForModel_InMemory_ServesAsVersionOne()
    {
        await using var server = ModelServer.ForModel(Mlp(), "tiny", options: Options);
        await server.StartAsync(Ct);

        var r = await server.InferAsync(MlpRequest(model: "tiny"), Ct);

        Assert.Equal("1", r.Version);
        Assert.True(server.IsReady);
        await Assert.ThrowsAsync<ModelNotFoundException>(() => server.LoadAsync("other", Ct));
    }

    [Fact]
    public async Task ForModel_File_ServesIt()
    {
        var path = _repo.AddModel("x", 1, Mlp());
        await using var server = ModelServer.ForModel(path, "from-file", new ModelConfig { MaxBatchSize = 2 }, Options);
        await server.StartAsync(Ct);

        await Assert.ThrowsAsync<InvalidRequestException>(() => server.InferAsync(MlpRequest(model: "from-file", rows: 3), Ct).AsTask());
        Assert.Single((await server.InferAsync(MlpRequest(model: "from-file", rows: 2), Ct)).Outputs);
    }

    [Fact]
    public async Task ForModel_ZooMlp_Serves()
    {
        await using var server = ModelServer.ForModel("zoo:mlp", "mlp", options: Options);
        await server.StartAsync(Ct);

        var m = server.GetModelMetadata("mlp", null);
        Assert.Equal([-1L, 784], m.Inputs[0].Shape);
        Assert.Throws<ArgumentException>(() => ModelServer.ForModel("zoo:nope", "x"));
        Assert.Throws<InvalidRequestException>(() => ModelServer.ForModel("zoo:mlp", "../x"));
    }

    [Fact]
    public async Task ForModel_MissingFile_FailedNotThrown()
    {
        await using var server = ModelServer.ForModel(Path.Combine(_repo.Root, "none.onnx"), "m", options: Options);
        await server.StartAsync(Ct);

        Assert.False(server.IsReady);
        Assert.Contains("not found", Assert.Single(server.Index(false)).Reason, StringComparison.Ordinal);
    }
}
