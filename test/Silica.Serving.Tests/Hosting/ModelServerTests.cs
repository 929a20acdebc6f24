using Silica.Onnx.Model;
using Silica.Runtime.Backends.Cpu;
using Silica.Runtime.Batching;
using Silica.Runtime.Tensors;
using Silica.Serving.Core;
using Silica.Serving.Hosting;
using Silica.Serving.Repository;
using static Silica.Serving.Tests.Hosting.ServingFixtures;

namespace Silica.Serving.Tests.Hosting;

public sealed class ModelServerTests : IAsyncLifetime
{
    private readonly TempRepository _repo = new();
    private ModelServer _server = null!;
    private static readonly CancellationToken Ct = CancellationToken.None;

    public async Task InitializeAsync()
    {
        _repo.AddModel("mlp", 1, Mlp(seed: 7));
        _repo.AddModel("mlp", 2, Mlp(seed: 8));
        _repo.AddModel("addsub", 1, AddSub());
        _repo.AddConfig("addsub", """{"max_batch_size": 4}""");
        _server = new ModelServer(new ModelRepository(_repo.Root), Options);
        await _server.StartAsync(Ct);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        Assert.Equal(0, _server.LiveVersionCount);
        _repo.Dispose();
    }

    [Fact]
    public void StartAsync_AllModelsLoad_Ready()
    {
        Assert.True(_server.IsReady);
        Assert.True(_server.IsModelReady("mlp", null));
        Assert.True(_server.IsModelReady("mlp", "1"));
        Assert.Equal(
            ["addsub/1 Ready", "mlp/2 Ready", "mlp/1 Ready"],
            _server.Index(readyOnly: false).Select(e => $"{e.Name}/{e.Version} {e.State}"));
    }

    [Fact]
    public async Task InferAsync_OutputsEqualDirectCpuRunBitForBit()
    {
        var input = Values(3 * 16, seed: 5);
        using var session = new CpuBackend().CreateSession(Mlp(seed: 8), Options.Session);
        using var x = Tensor.FromArray(input, [3, 16]);
        using var y = Tensor.Allocate(TensorDataType.Float, [3, 8]);
        session.Run([x], [y]);

        var result = await _server.InferAsync(new InferenceRequest("mlp", null, "req-1", [Floats("x", input, 3, 16)]), Ct);

        Assert.Equal(("mlp", "2", "req-1"), (result.Model, result.Version, result.Id));
        var output = Assert.Single(result.Outputs);
        Assert.Equal(("y", TensorDataType.Float), (output.Name, output.ElementType));
        Assert.Equal([3L, 8], output.Shape);
        Assert.Equal(y.Bytes.ToArray(), output.Data.ToArray());
    }

    [Fact]
    public async Task InferAsync_ExplicitVersion_RunsThatVersion()
    {
        var v1 = await _server.InferAsync(MlpRequest(version: "1"), Ct);
        var v2 = await _server.InferAsync(MlpRequest(version: "2"), Ct);

        Assert.Equal("1", v1.Version);
        Assert.NotEqual(v1.Outputs[0].Data.ToArray(), v2.Outputs[0].Data.ToArray());
    }

    [Fact]
    public async Task InferAsync_RequestedOutputOnly_ReturnsOnlyThat()
    {
        var a = Values(8, 1);
        var b = Values(8, 2);
        var request = new InferenceRequest("addsub", null, null, [Floats("b", b, 2, 4), Floats("a", a, 2, 4)], [new RequestedOutput("d")]);

        var result = await _server.InferAsync(request, Ct);

        var d = Assert.Single(result.Outputs);
        Assert.Equal("d", d.Name);
        Assert.Equal(a.Zip(b, (p, q) => p - q), AsFloats(d));
    }

    public static TheoryData<string, InferenceRequest, string> Faults => new()
    {
        // Row 5: datatype
        { "datatype", new InferenceRequest("mlp", null, null, [new NamedTensor("x", TensorDataType.Int64, [2, 16], new byte[256])]), "input 'x' has datatype INT64; the model expects FP32" },
        { "bytes datatype", new InferenceRequest("mlp", null, null, [new NamedTensor("x", TensorDataType.String, [2, 16], new byte[128])]), "input 'x' has datatype BYTES; the model expects FP32" },
        // Row 6: rank and a fixed dimension beyond the first
        { "rank", new InferenceRequest("mlp", null, null, [new NamedTensor("x", TensorDataType.Float, [32], new byte[128])]), "input 'x' has shape [32] of rank 1; the model expects rank 2, shape [-1,16]" },
        { "fixed dim", new InferenceRequest("mlp", null, null, [new NamedTensor("x", TensorDataType.Float, [2, 15], new byte[120])]), "dimension 1 is 15; the model expects 16" },
        // Row 7: byte size
        { "short payload", new InferenceRequest("mlp", null, null, [new NamedTensor("x", TensorDataType.Float, [2, 16], new byte[100])]), "expected 128 bytes, got 100" },
        { "long payload", new InferenceRequest("mlp", null, null, [new NamedTensor("x", TensorDataType.Float, [1, 16], new byte[128])]), "expected 64 bytes, got 128" },
        // Row 8: huge shapes
        { "huge shape", new InferenceRequest("mlp", null, null, [new NamedTensor("x", TensorDataType.Float, [1, 1L << 62], new byte[4])]), "dimension 1 is 4611686018427387904; the model expects 16" },
        { "overflow", new InferenceRequest("mlp", null, null, [new NamedTensor("x", TensorDataType.Float, [long.MaxValue, 16], new byte[4])]), "batch size 9223372036854775807" },
        // Row 9: negative dimensions
        { "-1 dim", new InferenceRequest("mlp", null, null, [new NamedTensor("x", TensorDataType.Float, [-1, 16], new byte[64])]), "dimension 0 is -1; request dimensions must be 0 or more" },
        // Row 10: batch over max_batch_size (addsub: 4)
        { "batch", new InferenceRequest("addsub", null, null, [Floats("a", new float[20], 5, 4), Floats("b", new float[20], 5, 4)]), "batch size 5 (dimension 0 of [5,4]); this model accepts 1 to 4 (max_batch_size)" },
        { "zero batch", new InferenceRequest("mlp", null, null, [new NamedTensor("x", TensorDataType.Float, [0, 16], Array.Empty<byte>())]), "batch size 0" },
        { "batch disagree", new InferenceRequest("addsub", null, null, [Floats("a", new float[8], 2, 4), Floats("b", new float[12], 3, 4)]), "input 'b' has batch size 3 but input 'a' has 2" },
        // Row 11: missing, extra, duplicate inputs; unknown output
        { "missing", new InferenceRequest("addsub", null, null, [Floats("a", new float[8], 2, 4)]), "missing input(s) ['b']; model 'addsub' takes ['a', 'b']" },
        { "extra", new InferenceRequest("mlp", null, null, [Floats("x", new float[32], 2, 16), Floats("z", new float[1], 1)]), "unexpected input(s) ['z']" },
        { "duplicate", new InferenceRequest("mlp", null, null, [Floats("x", new float[32], 2, 16), Floats("x", new float[32], 2, 16)]), "input(s) given more than once ['x']" },
        { "none", new InferenceRequest("mlp", null, null, []), "missing input(s) ['x']" },
        { "unknown output", MlpRequest() with { Outputs = [new RequestedOutput("nope")] }, "unknown requested output(s) ['nope']; model 'mlp' has outputs ['y']" },
        { "output twice", MlpRequest() with { Outputs = [new RequestedOutput("y"), new RequestedOutput("y")] }, "output(s) requested more than once ['y']" },
        // Names (row 4) and malformed versions
        { "bad model name", MlpRequest(model: "../mlp"), "invalid model name '../mlp'" },
        { "bad version", MlpRequest(version: "01"), "invalid model version '01'" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task InferAsync_Fault_InvalidRequestNamingIt_ServerStillServes(string fault, InferenceRequest request, string expected)
    {
        _ = fault;
        var before = GC.GetAllocatedBytesForCurrentThread();

        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => _server.InferAsync(request, Ct).AsTask());

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "a rejected request allocated over 1 MiB");
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        var ok = await _server.InferAsync(MlpRequest(), Ct);
        Assert.Single(ok.Outputs);
    }

    [Fact]
    public async Task InferAsync_OverflowingByteCount_InvalidRequestFromCheckedArithmetic()
    {
        // A model whose second dimension is dynamic lets a huge shape through the fixed-dimension check.
        await using var server = ModelServer.ForModel(DynamicWidth(), "wide", options: Options);
        await server.StartAsync(Ct);
        var request = new InferenceRequest("wide", null, null, [new NamedTensor("x", TensorDataType.Float, [2, 1L << 62], new byte[4])]);

        var e = await Assert.ThrowsAsync<InvalidRequestException>(() => server.InferAsync(request, Ct).AsTask());

        Assert.Contains("overflows 64 bits", e.Message, StringComparison.Ordinal);
        var hugeButFits = new InferenceRequest("wide", null, null, [new NamedTensor("x", TensorDataType.Float, [1, 1L << 40], new byte[4])]);
        var e2 = await Assert.ThrowsAsync<InvalidRequestException>(() => server.InferAsync(hugeButFits, Ct).AsTask());
        Assert.Contains($"expected {4L << 40} bytes, got 4", e2.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InferAsync_UnknownModelOrVersion_NotFound()
    {
        await Assert.ThrowsAsync<ModelNotFoundException>(() => _server.InferAsync(MlpRequest(model: "nope"), Ct).AsTask());
        var e = await Assert.ThrowsAsync<ModelNotFoundException>(() => _server.InferAsync(MlpRequest(version: "9"), Ct).AsTask());
        Assert.Contains("versions: 2, 1", e.Message, StringComparison.Ordinal);
        Assert.Throws<ModelNotFoundException>(() => _server.GetModelMetadata("mlp", "3"));
        Assert.Throws<ModelNotFoundException>(() => _server.IsModelReady("nope", null));
    }

    [Fact]
    public async Task InferAsync_BadRequestBatchedBesideGoodOne_BadFailsAloneGoodIsCorrect()
    {
        // Row 19: a 50 ms batching window, so both requests arrive while the first waits for company.
        _repo.AddModel("slow", 1, Mlp(seed: 7));
        _repo.AddConfig("slow", """{"max_queue_delay_microseconds": 50000}""");
        await _server.LoadAsync("slow", Ct);
        var expected = await _server.InferAsync(MlpRequest(model: "mlp", version: "1", rows: 2, seed: 3), Ct);

        var good = _server.InferAsync(MlpRequest(model: "slow", rows: 2, seed: 3), Ct).AsTask();
        var bad = _server.InferAsync(new InferenceRequest("slow", null, null, [new NamedTensor("x", TensorDataType.Float, [2, 16], new byte[7])]), Ct).AsTask();

        await Assert.ThrowsAsync<InvalidRequestException>(() => bad);
        Assert.Equal(expected.Outputs[0].Data.ToArray(), (await good).Outputs[0].Data.ToArray());
        var stats = Assert.Single(_server.Statistics("slow", "1"));
        Assert.Equal((1L, 1L, 1L), (stats.SuccessCount, stats.FailureCount, stats.ExecutionCount));
    }

    [Fact]
    public async Task InferAsync_QueueFull_PassesQueueFullExceptionThrough()
    {
        _repo.AddModel("tiny-queue", 1, Mlp());
        _repo.AddConfig("tiny-queue", """{"max_queue_size": 1, "max_batch_size": 2, "max_queue_delay_microseconds": 2000000}""");
        await _server.LoadAsync("tiny-queue", Ct);

        // One row waits out the 2 s batching window, holding the only queue slot (long enough for a starved runner).
        var first = _server.InferAsync(MlpRequest(model: "tiny-queue", rows: 1), Ct).AsTask();
        await WaitUntil(() => _server.Metrics.Render().Contains("silica_pending_requests{model=\"tiny-queue\",version=\"1\"} 1", StringComparison.Ordinal));
        var e = await Assert.ThrowsAsync<QueueFullException>(() => _server.InferAsync(MlpRequest(model: "tiny-queue", rows: 1), Ct).AsTask());

        Assert.True(e.RetryAfter > TimeSpan.Zero);
        await first;
        Assert.Contains("silica_request_failure_total{model=\"tiny-queue\",version=\"1\",reason=\"queue_full\"} 1", _server.Metrics.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InferAsync_Cancelled_LeavesQueueAndCountsCancel()
    {
        _repo.AddModel("waits", 1, Mlp());
        _repo.AddConfig("waits", """{"max_queue_delay_microseconds": 5000000}""");
        await _server.LoadAsync("waits", Ct);
        using var cts = new CancellationTokenSource();

        var task = _server.InferAsync(MlpRequest(model: "waits"), cts.Token).AsTask();
        await WaitUntil(() => _server.InFlight == 1);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        Assert.Equal(0, _server.InFlight);
        Assert.Contains("reason=\"canceled\"} 1", _server.Metrics.Render(), StringComparison.Ordinal);
    }

    [Fact]
    public void GetModelMetadata_ReportsProtocolTypesAndDynamicDims()
    {
        var m = _server.GetModelMetadata("mlp", null);

        Assert.Equal(("mlp", "onnxruntime_onnx"), (m.Name, m.Platform));
        Assert.Equal(["2", "1"], m.Versions);
        var x = Assert.Single(m.Inputs);
        Assert.Equal(("x", "FP32"), (x.Name, x.Datatype));
        Assert.Equal([-1L, 16], x.Shape);
        Assert.Equal([-1L, 8], Assert.Single(m.Outputs).Shape);
    }

    [Fact]
    public void Metadata_NamesServerAndExtensions()
    {
        Assert.Equal("silica", _server.Metadata.Name);
        Assert.Contains("model_repository", _server.Metadata.Extensions);
        Assert.True(_server.IsLive);
    }

    /// <summary>Polls until the condition holds; the 30 s bound only stops a broken test (a starved CI runner is slow).</summary>
    internal static async Task WaitUntil(Func<bool> condition)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition() && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }
        Assert.True(condition(), "condition not reached in 30 s");
    }

    private static Onnx.Graph.OnnxModel DynamicWidth()
    {
        var g = new Onnx.Building.GraphBuilder("wide", opset: 17);
        var x = g.Input("x", TensorDataType.Float, "batch", "n");
        g.Output(g.Node("Relu", [x]), "y", new TensorType(TensorDataType.Float, new TensorShape("batch", "n")));
        return g.Build();
    }
}
