using Google.Protobuf;
using Grpc.Core;
using Grpc.Net.Client;
using Silica.Runtime.Tensors;
using Silica.Serving.Grpc.Protocol;

namespace Silica.Benchmarking.Remote;

/// <summary>
/// The OIP v2 gRPC protocol over one channel (HTTP/2, several pooled connections so the stream limit of one
/// connection does not cap concurrency), with raw input contents and no retries.
/// </summary>
internal sealed class GrpcInferenceTransport : IInferenceTransport
{
    private readonly GrpcChannel _channel;
    private readonly GRPCInferenceService.GRPCInferenceServiceClient _client;
    private readonly string _model;

    public GrpcInferenceTransport(Uri address, string model)
    {
        _model = model;
        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                UseProxy = false,
            },
            // No retry policy is configured, and none may be added: every failure is counted as it happened.
            MaxRetryAttempts = 0,
            MaxReceiveMessageSize = null,
            MaxSendMessageSize = null,
        });
        _client = new GRPCInferenceService.GRPCInferenceServiceClient(_channel);
    }

    public async Task<RemoteModelMetadata> GetMetadataAsync(CancellationToken cancellationToken)
    {
        try
        {
            var m = await _client.ModelMetadataAsync(new ModelMetadataRequest { Name = _model }, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new RemoteModelMetadata(m.Name, [.. m.Versions], m.Platform, [.. m.Inputs.Select(ToRemote)], [.. m.Outputs.Select(ToRemote)]);
        }
        catch (RpcException e)
        {
            throw Failure(e);
        }
    }

    public object Prepare(IReadOnlyList<RemoteTensorMetadata> inputs, IReadOnlyList<Tensor> tensors)
    {
        var request = new ModelInferRequest { ModelName = _model };
        for (var i = 0; i < inputs.Count; i++)
        {
            var input = new ModelInferRequest.Types.InferInputTensor { Name = inputs[i].Name, Datatype = inputs[i].Datatype };
            input.Shape.Add(tensors[i].Shape.ToArray());
            request.Inputs.Add(input);
            request.RawInputContents.Add(ByteString.CopyFrom(tensors[i].Bytes));
        }
        return request;
    }

    public async ValueTask InferAsync(object prepared, CancellationToken cancellationToken)
    {
        try
        {
            // The same message is sent by concurrent calls: serializing reads it and never changes it.
            await _client.ModelInferAsync((ModelInferRequest)prepared, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw Failure(e);
        }
    }

    public void Dispose() => _channel.Dispose();

    private static RemoteInferenceException Failure(RpcException e) =>
        new($"the server answered {e.StatusCode}: {e.Status.Detail}", e);

    private static RemoteTensorMetadata ToRemote(ModelMetadataResponse.Types.TensorMetadata t) => new(t.Name, t.Datatype, [.. t.Shape]);
}
