using Grpc.Core;
using Silica.Serving.Core;
using Silica.Serving.Grpc.Protocol;

namespace Silica.Serving.Grpc;

/// <summary>
/// The Open Inference Protocol's <c>GRPCInferenceService</c> over an <see cref="IInferenceServer"/>. Exceptions
/// become status codes in <see cref="GrpcErrorInterceptor"/>, so every method reads as the happy path.
/// </summary>
internal sealed class InferenceGrpcService(IInferenceServer server) : GRPCInferenceService.GRPCInferenceServiceBase
{
    public override Task<ServerLiveResponse> ServerLive(ServerLiveRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerLiveResponse { Live = server.IsLive });

    public override Task<ServerReadyResponse> ServerReady(ServerReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ServerReadyResponse { Ready = server.IsReady });

    public override Task<ModelReadyResponse> ModelReady(ModelReadyRequest request, ServerCallContext context) =>
        Task.FromResult(new ModelReadyResponse { Ready = server.IsModelReady(RequireName(request.Name), NullIfEmpty(request.Version)) });

    public override Task<ServerMetadataResponse> ServerMetadata(ServerMetadataRequest request, ServerCallContext context)
    {
        var metadata = server.Metadata;
        var response = new ServerMetadataResponse { Name = metadata.Name, Version = metadata.Version };
        response.Extensions.Add(metadata.Extensions);
        return Task.FromResult(response);
    }

    public override Task<ModelMetadataResponse> ModelMetadata(ModelMetadataRequest request, ServerCallContext context)
    {
        var metadata = server.GetModelMetadata(RequireName(request.Name), NullIfEmpty(request.Version));
        var response = new ModelMetadataResponse { Name = metadata.Name, Platform = metadata.Platform };
        response.Versions.Add(metadata.Versions);
        response.Inputs.Add(metadata.Inputs.Select(ToWire));
        response.Outputs.Add(metadata.Outputs.Select(ToWire));
        return Task.FromResult(response);
    }

    public override async Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context)
    {
        var decoded = InferRequestDecoder.Decode(request);
        // The call's token fires when the client cancels or its deadline passes; the server then takes the
        // request out of the queue (or abandons the run) and the interceptor answers CANCELLED.
        var result = await server.InferAsync(decoded, context.CancellationToken).ConfigureAwait(false);
        return InferResponseEncoder.Encode(result);
    }

    private static ModelMetadataResponse.Types.TensorMetadata ToWire(TensorMetadata t)
    {
        var wire = new ModelMetadataResponse.Types.TensorMetadata { Name = t.Name, Datatype = t.Datatype };
        wire.Shape.Add(t.Shape);
        return wire;
    }

    private static string RequireName(string name) =>
        name.Length > 0 ? name : throw new InvalidRequestException("the model name is required");

    private static string? NullIfEmpty(string s) => s.Length == 0 ? null : s;
}
