using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Silica.Serving.Http;

namespace Silica.Serving.OpenAi;

/// <summary>
/// Writes an OpenAI stream: <c>text/event-stream</c>, one <c>data: {json}\n\n</c> event per chunk, flushed at once so
/// each token reaches the client when it is generated, and <c>data: [DONE]\n\n</c> at the end.
/// </summary>
internal static class ServerSentEvents
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] Done = "data: [DONE]\n\n"u8.ToArray();

    public static Task StartAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        // Response buffering (a compression middleware, a proxy honouring the header) would hold tokens back.
        context.Response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        return context.Response.StartAsync(context.RequestAborted);
    }

    /// <summary>Writes one event whose data is the JSON value <paramref name="value"/> writes, and flushes.</summary>
    public static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> value, CancellationToken cancellationToken)
    {
        using var buffer = new PooledBufferWriter(512);
        buffer.Write(DataPrefix);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            value(writer);
        }
        buffer.Write(EventEnd);
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static async Task WriteDoneAsync(HttpContext context, CancellationToken cancellationToken)
    {
        await context.Response.Body.WriteAsync(Done, cancellationToken).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
