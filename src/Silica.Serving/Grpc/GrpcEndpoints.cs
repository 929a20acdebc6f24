using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Silica.Serving.Core;

namespace Silica.Serving.Grpc;

/// <summary>
/// Adds the Open Inference Protocol's gRPC service (<c>inference.GRPCInferenceService</c>) to an ASP.NET Core host.
/// The host serves HTTP/2 on the endpoint gRPC clients use (prior knowledge without TLS, so an HTTP/2-only listener).
/// </summary>
public static class GrpcEndpoints
{
    /// <summary>The default largest message accepted or sent: 64 MiB, room for a batch of images.</summary>
    public const int DefaultMaxMessageBytes = 64 * 1024 * 1024;

    /// <summary>Registers gRPC with Silica's error mapping and message size limit.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="server">The server the service answers for (registered unless the host registered one already).</param>
    /// <param name="maxMessageBytes">
    /// Largest request or response message; a bigger request is refused with RESOURCE_EXHAUSTED before it is buffered.
    /// </param>
    public static IServiceCollection AddInferenceGrpc(this IServiceCollection services, IInferenceServer server, int maxMessageBytes = DefaultMaxMessageBytes)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxMessageBytes, 1024);
        services.TryAddSingleton(server);
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
