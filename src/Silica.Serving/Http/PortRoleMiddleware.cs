using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http;

namespace Silica.Serving.Http;

/// <summary>
/// Keeps each port to its job: the metrics port answers only <c>/metrics</c>, the gRPC port no REST routes, and the
/// REST port no <c>/metrics</c> when a separate metrics port is configured.
/// </summary>
internal sealed class PortRoleMiddleware(RequestDelegate next, ServerHostOptions options)
{
    public Task InvokeAsync(HttpContext context)
    {
        var role = context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(ListenerSet.RoleKey, out var r) == true ? r as string : null;
        var path = context.Request.Path;
        var isMetrics = path.Equals("/metrics", StringComparison.Ordinal);
        var refused = role switch
        {
            ListenerSet.Metrics => !isMetrics,
            ListenerSet.Grpc => isMetrics || path.StartsWithSegments("/v2", StringComparison.Ordinal),
            ListenerSet.Http => isMetrics && options.MetricsPort is not null,
            _ => false,
        };
        return refused
            ? OipResponses.ErrorAsync(context, StatusCodes.Status404NotFound, $"{Codec.RequestDocument.Printable(path.Value ?? "")} is not served on this port")
            : next(context);
    }
}
