using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Silica.Serving.Grpc;

/// <summary>
/// Adds the Open Inference Protocol's gRPC service (<c>inference.GRPCInferenceService</c>) to an ASP.NET Core host.
/// The host registers an <see cref="Core.IInferenceServer"/> singleton and serves HTTP/2 on the endpoint clients use.
/// </summary>
public static class GrpcEndpoints
{
    /// <summary>The default largest message accepted or sent: 64 MiB, room for a batch of images.</summary>
    public const int DefaultMaxMessageBytes = 64 * 1024 * 1024;

    /// <summary>Registers gRPC with Silica's error mapping and message size limit.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="maxMessageBytes">
    /// Largest request or response message; a bigger request is refused with RESOURCE_EXHAUSTED before it is buffered.
    /// </param>
    public static IServiceCollection AddInferenceGrpc(this IServiceCollection services, int maxMessageBytes = DefaultMaxMessageBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 1024);
        services.AddSingleton<GrpcErrorInterceptor>();
        services.AddGrpc(o =>
        {
            o.MaxReceiveMessageSize = maxMessageBytes;
            o.MaxSendMessageSize = maxMessageBytes;
            // Errors carry the server's own messages; never the exception details gRPC can add.
            o.EnableDetailedErrors = false;
            o.Interceptors.Add<GrpcErrorInterceptor>();
        });
        return services;
    }

    /// <summary>Maps the service; call after <see cref="AddInferenceGrpc"/>.</summary>
    public static IEndpointConventionBuilder Map(IEndpointRouteBuilder app) => app.MapGrpcService<InferenceGrpcService>();
}
