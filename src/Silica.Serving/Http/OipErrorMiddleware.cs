using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Silica.Runtime.Batching;
using Silica.Serving.Core;

namespace Silica.Serving.Http;

/// <summary>
/// Turns the server's exceptions into the protocol's status codes with a <c>{"error": "..."}</c> body, so a bad
/// request never shows a stack trace and never stops the server. Unexpected failures become 500 naming only the
/// request id; the details go to the log under that id.
/// </summary>
internal sealed partial class OipErrorMiddleware(RequestDelegate next, ILogger<OipErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        context.Response.Headers["X-Request-Id"] = context.TraceIdentifier;
        using var scope = logger.BeginScope("RequestId:{RequestId}", context.TraceIdentifier);
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; the server already removed its request from the queue. Nobody to answer.
            LogAborted(logger, context.Request.Path);
        }
        catch (Exception e) when (Map(e) is { } mapped)
        {
            if (mapped.Status == StatusCodes.Status429TooManyRequests)
            {
                // A storm produces one of these per request; keep them out of the default log.
                LogShed(logger, context.Request.Path);
            }
            else
            {
                LogRejected(logger, mapped.Status, context.Request.Method, context.Request.Path, mapped.Message);
            }
            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }
            context.Response.Clear();
            if (e is QueueFullException full)
            {
                var seconds = Math.Max(1, (int)Math.Ceiling(full.RetryAfter.TotalSeconds));
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }
            else if (e is ApiKeyException { Status: StatusCodes.Status401Unauthorized })
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
            }
            else if (mapped.Status == StatusCodes.Status413PayloadTooLarge)
            {
                // The body was refused unread, so Kestrel may close the connection once it has answered; saying so
                // keeps a keep-alive client from sending its next request on a socket that is about to close.
                context.Response.Headers.Connection = "close";
            }
            await OipResponses.ErrorAsync(context, mapped.Status, mapped.Message).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogFailed(logger, e, context.Request.Method, context.Request.Path);
            if (context.Response.HasStarted)
            {
                context.Abort();
                return;
            }
            context.Response.Clear();
            await OipResponses.ErrorAsync(context, StatusCodes.Status500InternalServerError,
                $"internal error (request id {context.TraceIdentifier})").ConfigureAwait(false);
        }
    }

    /// <summary>The status and message for an exception the protocol maps; null for an unexpected one.</summary>
    internal static (int Status, string Message)? Map(Exception e) => e switch
    {
        InvalidRequestException => (StatusCodes.Status400BadRequest, e.Message),
        JsonException => (StatusCodes.Status400BadRequest, "malformed JSON: " + JsonMessage(e.Message)),
        ModelNotFoundException => (StatusCodes.Status404NotFound, e.Message),
        ModelNotReadyException => (StatusCodes.Status503ServiceUnavailable, e.Message),
        QueueFullException => (StatusCodes.Status429TooManyRequests, e.Message),
        QueueTimeoutException => (StatusCodes.Status503ServiceUnavailable, e.Message),
        BadHttpRequestException bad => (bad.StatusCode, bad.Message),
        ApiKeyException key => (key.Status, key.Message),
        _ => null,
    };

    // Utf8JsonReader names the offending character; a NaN or Infinity literal deserves a plainer word.
    private static string JsonMessage(string message) =>
        message.StartsWith("'N' is an invalid", StringComparison.Ordinal) || message.StartsWith("'I' is an invalid", StringComparison.Ordinal)
            ? "NaN and Infinity are not JSON numbers (send binary data for non-finite values); " + message
            : message;

    [LoggerMessage(Level = LogLevel.Debug, Message = "client aborted {Path}")]
    private static partial void LogAborted(ILogger logger, PathString path);

    [LoggerMessage(Level = LogLevel.Debug, Message = "429 {Path}: queue full")]
    private static partial void LogShed(ILogger logger, PathString path);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Status} {Method} {Path}: {Reason}")]
    private static partial void LogRejected(ILogger logger, int status, string method, PathString path, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, string method, PathString path);
}
