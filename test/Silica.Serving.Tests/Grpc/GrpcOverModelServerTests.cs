using System.Runtime.InteropServices;
using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Silica.Serving.Grpc;
using Silica.Serving.Grpc.Protocol;
using Silica.Serving.Hosting;

namespace Silica.Serving.Tests.Grpc;

/// <summary>The gRPC front end inside Silica's own host (ServerHost, HTTP/2 gRPC port) over the real ModelServer and its batcher.</summary>
public sealed class GrpcOverModelServerTests
{
    [Fact]
    public async Task ModelInfer_ThroughModelServer_EqualsInProcessCpuOutputAndSurvivesBadInput()
    {
        using var reference = new CpuInferenceServer();
        await using var server = ModelServer.ForModel("zoo:mlp", "mlp");
        await server.StartAsync();
        await using var host = ServerHost.Build(new ServerHostOptions { Host = "127.0.0.1", HttpPort = 0, GrpcPort = 0 }, server,
            b => b.Services.AddInferenceGrpc(server), app => GrpcEndpoints.Map(app));
        await host.StartAsync();
        using var channel = GrpcChannel.ForAddress(host.GrpcAddress!);
        var client = new GRPCInferenceService.GRPCInferenceServiceClient(channel);
        var rng = new Random(5);
        var floats = new float[2 * 784];
        for (var i = 0; i < floats.Length; i++)
        {
            floats[i] = (float)((rng.NextDouble() * 2) - 1);
        }
        var data = MemoryMarshal.AsBytes(floats.AsSpan()).ToArray();

        var bad = Request(data);
        bad.Inputs[0].Shape[1] = 783;
        var e = await Assert.ThrowsAsync<RpcException>(() => client.ModelInferAsync(bad).ResponseAsync);
        var response = await client.ModelInferAsync(Request(data));

        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.True((await client.ServerReadyAsync(new ServerReadyRequest())).Ready);
        Assert.Equal([2L, 10L], Assert.Single(response.Outputs).Shape);
        Assert.Equal(reference.Run(data, [2, 784]).Data.ToArray(), response.RawOutputContents[0].ToByteArray());
        await host.StopAsync();
    }

    private static ModelInferRequest Request(byte[] data)
    {
        var request = new ModelInferRequest { ModelName = "mlp" };
        var input = new ModelInferRequest.Types.InferInputTensor { Name = "input", Datatype = "FP32" };
        input.Shape.Add([2, 784]);
        request.Inputs.Add(input);
        request.RawInputContents.Add(ByteString.CopyFrom(data));
        return request;
    }
}
