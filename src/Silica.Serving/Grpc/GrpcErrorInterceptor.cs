using System.Globalization;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;
using Silica.Runtime.Backends;
using Silica.Runtime.Batching;
using Silica.Serving.Core;

namespace Silica.Serving.Grpc;

/// <summary>
/// Maps the server's exceptions to gRPC status codes with a message that names the problem and nothing internal
/// (no stack trace, no type names). Anything unexpected is logged and answered INTERNAL.
/// </summary>
internal sealed class GrpcErrorInterceptor(ILogger<GrpcErrorInterceptor> logger) : Interceptor
{
    /// <summary>Trailer carrying the queue's retry estimate, as gRPC's retry policy reads it.</summary>
    public const string RetryPushbackTrailer = "grpc-retry-pushback-ms";

    /// <summary>The same estimate in whole seconds, as HTTP's Retry-After.</summary>
    public const string RetryAfterTrailer = "retry-after";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context,
        UnaryServerMethod<TRequest, TResponse> continuation)
    {
        try
        {
            return await continuation(request, context).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw Map(e, context);
        }
    }

    private RpcException Map(Exception e, ServerCallContext context)
    {
        switch (e)
        {
            case ModelNotFoundException:
                return new RpcException(new Status(StatusCode.NotFound, e.Message));
            case InvalidRequestException or InvalidInputException:
                return new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
            case ModelNotReadyException:
                return new RpcException(new Status(StatusCode.Unavailable, e.Message));
            case QueueFullException full:
                var ms = Math.Max(1, (long)Math.Ceiling(full.RetryAfter.TotalMilliseconds));
                var trailers = new Metadata
                {
                    { RetryPushbackTrailer, ms.ToString(CultureInfo.InvariantCulture) },
                    { RetryAfterTrailer, ((ms + 999) / 1000).ToString(CultureInfo.InvariantCulture) },
                };
                return new RpcException(new Status(StatusCode.ResourceExhausted, e.Message), trailers);
            case QueueTimeoutException:
                return new RpcException(new Status(StatusCode.DeadlineExceeded, e.Message));
            case OperationCanceledException when context.CancellationToken.IsCancellationRequested:
                return new RpcException(new Status(StatusCode.Cancelled, "the request was cancelled"));
            default:
                logger.LogError(e, "{Method} failed", context.Method);
                return new RpcException(new Status(StatusCode.Internal, "the inference failed; see the server log"));
        }
    }
}
