using System.Runtime.InteropServices;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Silica.Serving.Grpc.Protocol;

namespace Silica.Serving.Tests.Grpc;

/// <summary>The gRPC front end on a real Kestrel (HTTP/2, 127.0.0.1, port 0), driven by Grpc.Net.Client.</summary>
public sealed class InferenceGrpcServiceTests : IAsyncLifetime
{
    private readonly CpuInferenceServer _server = new();
    private GrpcTestHost? _host;
    private GrpcChannel? _channel;

    private GRPCInferenceService.GRPCInferenceServiceClient Client => new(_channel!);

    public async Task InitializeAsync()
    {
        _host = await GrpcTestHost.StartAsync(_server, maxMessageBytes: 256 * 1024);
        _channel = GrpcChannel.ForAddress(_host.Address, new GrpcChannelOptions { MaxSendMessageSize = null, MaxRetryAttempts = 0 });
    }

    public async Task DisposeAsync()
    {
        _channel?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
        _server.Dispose();
    }

    [Fact]
    public async Task HealthAndMetadata_ReportTheServerAndModel()
    {
        Assert.True((await Client.ServerLiveAsync(new ServerLiveRequest())).Live);
        Assert.True((await Client.ServerReadyAsync(new ServerReadyRequest())).Ready);
        Assert.True((await Client.ModelReadyAsync(new ModelReadyRequest { Name = "mlp" })).Ready);
        var server = await Client.ServerMetadataAsync(new ServerMetadataRequest());
        Assert.Equal("silica", server.Name);
        Assert.Contains("statistics", server.Extensions);
        var model = await Client.ModelMetadataAsync(new ModelMetadataRequest { Name = "mlp" });
        Assert.Equal(["1"], model.Versions);
        var input = Assert.Single(model.Inputs);
        Assert.Equal("FP32", input.Datatype);
        Assert.Equal([-1L, 784L], input.Shape);
        Assert.Equal([-1L, 10L], Assert.Single(model.Outputs).Shape);
    }

    [Fact]
    public async Task ModelInfer_RawContents_EqualInProcessOutputBitForBit()
    {
        var data = RandomInput(3, seed: 7);
        var response = await Client.ModelInferAsync(RawRequest(data, 3, id: "req-7"));

        var expected = _server.Run(data, [3, 784]);
        Assert.Equal("req-7", response.Id);
        Assert.Equal("mlp", response.ModelName);
        Assert.Equal("1", response.ModelVersion);
        var output = Assert.Single(response.Outputs);
        Assert.Equal(expected.Name, output.Name);
        Assert.Equal("FP32", output.Datatype);
        Assert.Equal([3L, 10L], output.Shape);
        Assert.Equal(expected.Data.ToArray(), Assert.Single(response.RawOutputContents).ToByteArray());
    }

    [Fact]
    public async Task ModelInfer_TypedFp32Contents_EqualRawContents()
    {
        var data = RandomInput(2, seed: 11);
        var typed = new ModelInferRequest { ModelName = "mlp" };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32", Contents = new InferTensorContents() };
        input.Shape.Add([2, 784]);
        input.Contents.Fp32Contents.Add(MemoryMarshal.Cast<byte, float>(data).ToArray());
        typed.Inputs.Add(input);

        var a = await Client.ModelInferAsync(typed);
        var b = await Client.ModelInferAsync(RawRequest(data, 2));

        Assert.Equal(b.RawOutputContents[0].ToByteArray(), a.RawOutputContents[0].ToByteArray());
    }

    [Theory]
    [InlineData("nope", "")]
    [InlineData("mlp", "9")]
    public async Task ModelInferAndMetadata_UnknownModel_NotFoundThenStillServes(string model, string version)
    {
        var request = RawRequest(RandomInput(1), 1);
        request.ModelName = model;
        request.ModelVersion = version;

        var infer = await Assert.ThrowsAsync<RpcException>(() => Client.ModelInferAsync(request).ResponseAsync);
        var metadata = await Assert.ThrowsAsync<RpcException>(() => Client.ModelMetadataAsync(new ModelMetadataRequest { Name = model, Version = version }).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, infer.StatusCode);
        Assert.Contains($"'{model}'", infer.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(StatusCode.NotFound, metadata.StatusCode);
        await AssertStillServesAsync();
    }

    public static TheoryData<string, string> BadRequests => new()
    {
        { "short-raw", "expected 3136 bytes, got 3132" },
        { "wrong-dimension", "expects shape" },
        { "negative-dimension", "negative dimension" },
        { "overflowing-shape", "too large" },
        { "huge-shape-tiny-payload", "expected" },
        { "unknown-datatype", "unsupported datatype 'FP33'" },
        { "wrong-datatype", "expects FP32" },
        { "raw-count", "raw_input_contents has 2 entries for 1 inputs" },
        { "raw-and-typed", "typed contents while raw_input_contents" },
        { "typed-count", "expected 784 elements in fp32_contents, got 3" },
        { "no-contents", "has no contents" },
        { "wrong-input-name", "expected one input 'input'" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task ModelInfer_BadInput_InvalidArgumentNamingTheProblemThenStillServes(string fault, string message)
    {
        var request = RawRequest(RandomInput(1), 1);
        var input = request.Inputs[0];
        switch (fault)
        {
            case "short-raw":
                request.RawInputContents[0] = ByteString.CopyFrom(new byte[3132]);
                break;
            case "wrong-dimension":
                input.Shape[1] = 783;
                request.RawInputContents[0] = ByteString.CopyFrom(new byte[783 * 4]);
                break;
            case "negative-dimension":
                input.Shape[0] = -1;
                break;
            case "overflowing-shape":
                input.Shape[0] = long.MaxValue / 2;
                break;
            case "huge-shape-tiny-payload":
                input.Shape[0] = 100_000;
                break;
            case "unknown-datatype":
                input.Datatype = "FP33";
                break;
            case "wrong-datatype":
                input.Datatype = "INT32";
                break;
            case "raw-count":
                request.RawInputContents.Add(ByteString.CopyFrom(new byte[4]));
                break;
            case "raw-and-typed":
                input.Contents = new InferTensorContents();
                break;
            case "typed-count":
                request.RawInputContents.Clear();
                input.Contents = new InferTensorContents();
                input.Contents.Fp32Contents.Add([1f, 2f, 3f]);
                break;
            case "no-contents":
                request.RawInputContents.Clear();
                break;
            case "wrong-input-name":
                input.Name = "x";
                break;
        }

        var e = await Assert.ThrowsAsync<RpcException>(() => Client.ModelInferAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains(message, e.Status.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", e.Status.Detail, StringComparison.Ordinal);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task ModelInfer_MessageOverTheLimit_ResourceExhaustedThenStillServes()
    {
        // 100 rows x 784 floats = 313,600 bytes, over the host's 256 KiB limit.
        var e = await Assert.ThrowsAsync<RpcException>(() => Client.ModelInferAsync(RawRequest(RandomInput(100), 100)).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Equal(0, _server.Completed);
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task ModelInfer_QueueFull_ResourceExhaustedWithRetryPushback()
    {
        var request = RawRequest(RandomInput(1), 1);
        request.ModelName = CpuInferenceServer.FullModelName;

        var e = await Assert.ThrowsAsync<RpcException>(() => Client.ModelInferAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Contains("queue is full", e.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("250", e.Trailers.GetValue("grpc-retry-pushback-ms"));
        Assert.Equal("1", e.Trailers.GetValue("retry-after"));
        await AssertStillServesAsync();
    }

    [Fact]
    public async Task ModelInfer_ClientCancels_ServerSeesCancellationAndFreesTheSlot()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var serverSawCancel = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.BeforeRun = async ct =>
        {
            entered.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                serverSawCancel.TrySetResult();
                throw;
            }
        };
        using var cts = new CancellationTokenSource();
        var call = Client.ModelInferAsync(RawRequest(RandomInput(1), 1), cancellationToken: cts.Token);
        await entered.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await cts.CancelAsync();

        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseAsync);
        Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        await serverSawCancel.Task.WaitAsync(TimeSpan.FromSeconds(10));
        _server.BeforeRun = null;
        await AssertStillServesAsync();
    }

    private async Task AssertStillServesAsync()
    {
        var data = RandomInput(1, seed: 3);
        var response = await Client.ModelInferAsync(RawRequest(data, 1));
        Assert.Equal(_server.Run(data, [1, 784]).Data.ToArray(), response.RawOutputContents[0].ToByteArray());
    }

    private static ModelInferRequest RawRequest(byte[] data, int rows, string id = "")
    {
        var request = new ModelInferRequest { ModelName = "mlp", Id = id };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32" };
        input.Shape.Add([rows, 784]);
        request.Inputs.Add(input);
        request.RawInputContents.Add(ByteString.CopyFrom(data));
        return request;
    }

    private static byte[] RandomInput(int rows, int seed = 1)
    {
        var rng = new Random(seed);
        var floats = new float[rows * 784];
        for (var i = 0; i < floats.Length; i++)
        {
            floats[i] = (float)((rng.NextDouble() * 2) - 1);
        }
        return MemoryMarshal.AsBytes(floats.AsSpan()).ToArray();
    }
}
