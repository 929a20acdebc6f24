using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Silica.Runtime.Batching;
using Silica.Runtime.Generation;
using Silica.Serving.Core;
using Silica.Serving.Http;

namespace Silica.Serving.OpenAi;

/// <summary>
/// A request the OpenAI front end refuses, with what OpenAI's error object carries: <c>{"error": {"message", "type",
/// "param", "code"}}</c>. The SDKs read <c>type</c> and <c>code</c>; <c>param</c> names the offending field.
/// </summary>
internal sealed class OpenAiException(int status, string message, string? param = null, string? code = null, string? type = null)
    : Exception(message)
{
    public int Status { get; } = status;

    public string? Param { get; } = param;

    public string? Code { get; } = code;

    public string Type { get; } = type ?? OpenAiErrors.TypeFor(status);

    /// <summary>Seconds to put in Retry-After (429 only).</summary>
    public int? RetryAfterSeconds { get; init; }

    public static OpenAiException BadRequest(string message, string? param, string? code = null) =>
        new(StatusCodes.Status400BadRequest, message, param, code);
}

/// <summary>Maps the server's exceptions to OpenAI error objects and writes them.</summary>
internal static class OpenAiErrors
{
    private static readonly string[] SamplingFields = ["max_tokens", "temperature", "top_k", "top_p", "stop"];

    public static string TypeFor(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => "authentication_error",
        StatusCodes.Status403Forbidden => "permission_error",
        StatusCodes.Status404NotFound => "not_found_error",
        StatusCodes.Status429TooManyRequests => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    /// <summary>The OpenAI error for an exception the protocol maps; null for an unexpected one (a 500).</summary>
    public static OpenAiException? Map(Exception e, string promptParam) => e switch
    {
        OpenAiException o => o,
        PromptTooLongException p => new OpenAiException(StatusCodes.Status400BadRequest, p.Message, promptParam, "context_length_exceeded"),
        QueueFullException q => new OpenAiException(StatusCodes.Status429TooManyRequests, q.Message, null, "queue_full")
        {
            RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(q.RetryAfter.TotalSeconds)),
        },
        // The engine is shutting down (the host is draining): come back to another replica.
        ObjectDisposedException => new OpenAiException(StatusCodes.Status503ServiceUnavailable, "the model is shutting down", null, "model_not_ready"),
        QueueTimeoutException t => new OpenAiException(StatusCodes.Status503ServiceUnavailable, t.Message, null, "queue_timeout"),
        // Sampling validation (the engine's own, or SamplingOptions.Validate) names the field first.
        ArgumentException a => new OpenAiException(StatusCodes.Status400BadRequest, a.Message, SamplingParam(a.Message)),
        JsonException j => new OpenAiException(StatusCodes.Status400BadRequest, "malformed JSON: " + j.Message, null, "invalid_json"),
        InvalidRequestException i => new OpenAiException(StatusCodes.Status400BadRequest, i.Message),
        ModelNotFoundException m => new OpenAiException(StatusCodes.Status404NotFound, m.Message, "model", "model_not_found"),
        ModelNotReadyException m => new OpenAiException(StatusCodes.Status503ServiceUnavailable, m.Message, "model", "model_not_ready"),
        ApiKeyException k => new OpenAiException(k.Status, k.Message, null, k.Status == StatusCodes.Status401Unauthorized ? "invalid_api_key" : "forbidden"),
        BadHttpRequestException b => new OpenAiException(b.StatusCode, b.Message),
        _ => null,
    };

    /// <summary>Writes the error as the whole response (status, Retry-After / WWW-Authenticate, JSON body).</summary>
    public static Task WriteAsync(HttpContext context, OpenAiException error)
    {
        context.Response.Clear();
        context.Response.StatusCode = error.Status;
        if (error.RetryAfterSeconds is { } seconds)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
        else if (error.Status == StatusCodes.Status401Unauthorized)
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
        }
        return OipResponses.JsonAsync(context, w => WriteErrorMember(w, error));
    }

    /// <summary>Writes the <c>"error": {...}</c> member (also sent as the last event of a stream that fails).</summary>
    public static void WriteErrorMember(Utf8JsonWriter w, OpenAiException error)
    {
        w.WriteStartObject("error"u8);
        w.WriteString("message"u8, error.Message);
        w.WriteString("type"u8, error.Type);
        WriteNullable(w, "param"u8, error.Param);
        WriteNullable(w, "code"u8, error.Code);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, ReadOnlySpan<byte> name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }

    private static string? SamplingParam(string message)
    {
        var first = message.Split(' ', 2)[0];
        return SamplingFields.Contains(first) ? first : message.Contains(" stop sequences", StringComparison.Ordinal) ? "stop" : null;
    }
}
