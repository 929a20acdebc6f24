using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Silica.Serving.Core;
using Silica.Serving.Http.Codec;

namespace Silica.Serving.Http;

/// <summary>
/// <c>POST /v2/models/{m}[/versions/{v}]/infer</c>: reads the body (JSON, or a JSON header plus raw tensors with the
/// binary extension), decodes and checks it, runs it on the server, and answers in the encoding the client asked for.
/// </summary>
internal static class InferEndpoint
{
    /// <summary>The binary tensor extension's header: the length of the JSON part at the start of the body.</summary>
    public const string HeaderLengthHeader = "Inference-Header-Content-Length";

    public static async Task HandleAsync(HttpContext ctx, RestContext rest)
    {
        rest.Keys.RequireInference(ctx.Request);
        var (model, version) = RestEndpoints.Route(ctx);
        var headerLength = ParseHeaderLength(ctx.Request.Headers[HeaderLengthHeader]);
        var body = await RequestBody.ReadAsync(ctx.Request, rest.Options.MaxRequestBodyBytes, ctx.RequestAborted).ConfigureAwait(false);
        var completed = false;
        try
        {
            if (headerLength > body.Length)
            {
                throw new InvalidRequestException(string.Create(CultureInfo.InvariantCulture,
                    $"{HeaderLengthHeader} is {headerLength} but the body holds only {body.Length} bytes"));
            }
            var decoded = InferRequestDecoder.Decode(body.Memory, (int?)headerLength, model, version, rest.Options.MaxJsonDepth);
            var result = await rest.Server.InferAsync(decoded.Request, ctx.RequestAborted).ConfigureAwait(false);
            completed = true;
            await WriteResultAsync(ctx, result, decoded).ConfigureAwait(false);
        }
        finally
        {
            if (!completed)
            {
                // A failed or cancelled request may still be referenced by a batch in flight: never recycle its bytes.
                body.Abandon();
            }
            body.Dispose();
        }
    }

    /// <summary>Parses <c>Inference-Header-Content-Length</c>: null when absent, else a positive integer.</summary>
    /// <exception cref="InvalidRequestException">The header is repeated, negative, zero or not a number.</exception>
    internal static long? ParseHeaderLength(StringValues values)
    {
        if (values.Count == 0)
        {
            return null;
        }
        if (values.Count > 1)
        {
            throw new InvalidRequestException($"{HeaderLengthHeader} is given {values.Count} times");
        }
        var text = values[0] ?? "";
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var length) || length <= 0)
        {
            throw new InvalidRequestException($"{HeaderLengthHeader} must be a positive integer (the JSON header's length in bytes); got '{RequestDocument.Printable(text)}'");
        }
        return length;
    }

    private static async Task WriteResultAsync(HttpContext ctx, InferenceResult result, DecodedInferRequest request)
    {
        using var json = new PooledBufferWriter();
        var binary = InferResponseEncoder.WriteJson(json, result, request);
        if (binary is null)
        {
            await OipResponses.WriteAsync(ctx, json.WrittenMemory, "application/json").ConfigureAwait(false);
            return;
        }
        long total = json.WrittenCount;
        for (var i = 0; i < binary.Length; i++)
        {
            total += binary[i] ? result.Outputs[i].Data.Length : 0;
        }
        var response = ctx.Response;
        response.Headers[HeaderLengthHeader] = json.WrittenCount.ToString(CultureInfo.InvariantCulture);
        response.ContentType = "application/octet-stream";
        response.ContentLength = total;
        await response.Body.WriteAsync(json.WrittenMemory, ctx.RequestAborted).ConfigureAwait(false);
        for (var i = 0; i < binary.Length; i++)
        {
            if (binary[i])
            {
                await response.Body.WriteAsync(result.Outputs[i].Data, ctx.RequestAborted).ConfigureAwait(false);
            }
        }
    }
}
