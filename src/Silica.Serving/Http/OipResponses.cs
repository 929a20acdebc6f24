using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Silica.Serving.Http;

/// <summary>Writes the small JSON bodies of the protocol: errors and the health/readiness answers.</summary>
internal static class OipResponses
{
    /// <summary>Writes <c>{"error": message}</c> with the status code.</summary>
    public static Task ErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        return JsonAsync(context, w => w.WriteString("error"u8, message));
    }

    /// <summary>Writes <c>{"name": value}</c>, answering the status by code and by body as the protocol asks.</summary>
    public static Task FlagAsync(HttpContext context, ReadOnlySpan<byte> name, bool value)
    {
        context.Response.StatusCode = value ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        var key = name.ToArray();
        return JsonAsync(context, w => w.WriteBoolean(key, value));
    }

    /// <summary>Writes one JSON object whose members <paramref name="members"/> writes.</summary>
    public static Task JsonAsync(HttpContext context, Action<Utf8JsonWriter> members) => JsonValueAsync(context, w =>
    {
        w.WriteStartObject();
        members(w);
        w.WriteEndObject();
    });

    /// <summary>Writes the one JSON value <paramref name="value"/> writes.</summary>
    public static async Task JsonValueAsync(HttpContext context, Action<Utf8JsonWriter> value)
    {
        using var buffer = new PooledBufferWriter(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            value(writer);
        }
        await WriteAsync(context, buffer.WrittenMemory, "application/json").ConfigureAwait(false);
    }

    /// <summary>Writes a complete body with its Content-Length.</summary>
    public static async Task WriteAsync(HttpContext context, ReadOnlyMemory<byte> body, string contentType)
    {
        context.Response.ContentType = contentType;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
