using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;
using Silica.Serving.Core;

namespace Silica.Serving.Http;

/// <summary>The optional body of <c>POST /v2/repository/index</c>: <c>{"ready": true}</c> lists only ready models.</summary>
internal static class IndexRequest
{
    private const int MaxBytes = 4096;

    public static async Task<bool> ReadReadyOnlyAsync(HttpContext ctx, ServerHostOptions options)
    {
        using var body = await RequestBody.ReadAsync(ctx.Request, MaxBytes, ctx.RequestAborted).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return false;
        }
        return Parse(body.Memory.Span, options.MaxJsonDepth);
    }

    internal static bool Parse(ReadOnlySpan<byte> json, int maxDepth)
    {
        if (!Utf8.IsValid(json))
        {
            throw new InvalidRequestException("the JSON is not valid UTF-8");
        }
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = maxDepth });
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new InvalidRequestException("the index request must be a JSON object");
        }
        var ready = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isReady = reader.ValueTextEquals("ready"u8);
            reader.Read();
            if (isReady)
            {
                ready = reader.TokenType switch
                {
                    JsonTokenType.True => true,
                    JsonTokenType.False => false,
                    _ => throw new InvalidRequestException("'ready' must be true or false"),
                };
            }
            else
            {
                reader.Skip();
            }
        }
        if (reader.Read())
        {
            throw new InvalidRequestException("the body holds more than one JSON value");
        }
        return ready;
    }
}
