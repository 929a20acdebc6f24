using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Silica.Runtime.Generation;
using Silica.Serving.Http;
using Silica.Serving.Metrics;

namespace Silica.Serving.OpenAi;

/// <summary>
/// <c>POST /v1/chat/completions</c> and <c>/v1/completions</c>: validates the request completely (model, prompt
/// against the context length, sampling) before the engine sees it, then answers with one JSON object or streams
/// server-sent events. The engine's refusals (queue full, prompt too long) arrive before the first byte is sent, so
/// they are plain status codes; a client that goes away cancels its sequence through <c>RequestAborted</c>.
/// </summary>
internal sealed partial class GenerationEndpoint(OpenAiService service, RestContext rest)
{
    public async Task HandleAsync(HttpContext ctx, bool chat)
    {
        var started = Stopwatch.GetTimestamp();
        GenerationCall? call = null;
        LlmModelStats? stats = null;
        SequenceProgress? progress = null;
        using var activity = ServingTelemetry.ActivitySource.HasListeners()
            ? ServingTelemetry.ActivitySource.StartActivity(chat ? "chat" : "text_completion", ActivityKind.Server)
            : null;
        try
        {
            rest.Keys.RequireInference(ctx.Request);
            call = await ReadAsync(ctx, chat).ConfigureAwait(false);
            var engine = service.FindGenerator(call.Model) ?? throw UnknownModel(call.Model, service);
            stats = service.Metrics.For(engine.ModelName);
            var id = (chat ? "chatcmpl-" : "cmpl-") + Guid.NewGuid().ToString("N");
            var request = Prepare(call, engine, id);
            Tag(activity, call, request, id);
            progress = new SequenceProgress(started);
            await RunAsync(ctx, call, engine, request, new OpenAiJson.Header(id, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), engine.ModelName, chat), stats, progress)
                .ConfigureAwait(false);
            Finish(activity, progress);
        }
        catch (Exception e) when (ctx.RequestAborted.IsCancellationRequested && e is OperationCanceledException or IOException)
        {
            // The client went away; cancelling RequestAborted already removed its sequence and freed its blocks.
            if (stats is not null && progress is not null)
            {
                service.Metrics.RecordFinished(stats, FinishReason.Cancelled, progress.PromptTokens, progress.CompletionTokens, progress.TimeToFirstToken, progress.Elapsed);
            }
            activity?.SetStatus(ActivityStatusCode.Error, "client disconnected");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var error = OpenAiErrors.Map(e, call?.PromptParam ?? (chat ? "messages" : "prompt"));
            if (error is null)
            {
                LogFailed(Logger(ctx), e, ctx.Request.Path);
                error = new OpenAiException(StatusCodes.Status500InternalServerError, $"internal error (request id {ctx.TraceIdentifier})");
            }
            if (stats is not null)
            {
                service.Metrics.RecordFailure(stats, Stopwatch.GetElapsedTime(started), error.Type);
            }
            activity?.SetStatus(ActivityStatusCode.Error, error.Message);
            activity?.SetTag(GenAiTelemetry.ErrorType, error.Type);
            await WriteErrorAsync(ctx, error).ConfigureAwait(false);
        }
    }

    internal static OpenAiException UnknownModel(string model, OpenAiService service) => new(StatusCodes.Status404NotFound,
        $"The model '{model}' does not exist (served: {string.Join(", ", service.Generators.Select(g => g.ModelName))})", "model", "model_not_found");

    private async Task<GenerationCall> ReadAsync(HttpContext ctx, bool chat)
    {
        using var body = await RequestBody.ReadAsync(ctx.Request, rest.Options.MaxRequestBodyBytes, ctx.RequestAborted).ConfigureAwait(false);
        using var doc = JsonDocument.Parse(body.Memory, new JsonDocumentOptions { MaxDepth = rest.Options.MaxJsonDepth });
        return GenerationCallReader.Read(doc.RootElement, chat);
    }

    /// <summary>Tokenizes and checks the prompt and sampling; every refusal names its field.</summary>
    internal static GenerationRequest Prepare(GenerationCall call, IGenerationEngine engine, string id)
    {
        var text = call.IsChat ? ChatTemplate.Render(call.Messages!) : call.Prompt!;
        var ids = engine.Tokenizer.Encode(text);
        var context = engine.ContextLength;
        if (ids.Count == 0)
        {
            throw OpenAiException.BadRequest($"{call.PromptParam} must not be empty (it encodes to no tokens)", call.PromptParam);
        }
        if (ids.Count + 1 > context)
        {
            throw new OpenAiException(StatusCodes.Status400BadRequest,
                $"This model's maximum context length is {context} tokens; the prompt has {ids.Count} tokens and at least one more is needed for the output",
                call.PromptParam, "context_length_exceeded");
        }
        var maxTokens = call.MaxTokens ?? context - ids.Count;
        if ((long)ids.Count + maxTokens > context)
        {
            throw new OpenAiException(StatusCodes.Status400BadRequest,
                $"This model's maximum context length is {context} tokens; you requested {(long)ids.Count + maxTokens} ({ids.Count} in the prompt, {maxTokens} to generate): lower {call.MaxTokensParam} or shorten the prompt",
                call.MaxTokensParam, "context_length_exceeded");
        }
        var sampling = new SamplingOptions(maxTokens, call.Temperature ?? 1f, call.TopK ?? 0, call.TopP ?? 1f, call.Seed, call.Stop);
        try
        {
            sampling.Validate();
        }
        catch (ArgumentException e) when (e.Message.StartsWith("max_tokens", StringComparison.Ordinal))
        {
            throw OpenAiException.BadRequest(e.Message.Replace("max_tokens", call.MaxTokensParam, StringComparison.Ordinal), call.MaxTokensParam);
        }
        return new GenerationRequest(id, ids, sampling);
    }

    private async Task RunAsync(HttpContext ctx, GenerationCall call, IGenerationEngine engine, GenerationRequest request,
        OpenAiJson.Header header, LlmModelStats stats, SequenceProgress progress)
    {
        var aborted = ctx.RequestAborted;
        var tokens = engine.GenerateAsync(request, aborted).GetAsyncEnumerator(aborted);
        await using (tokens.ConfigureAwait(false))
        {
            // The first item, or the engine's refusal, comes before anything is written.
            if (!await tokens.MoveNextAsync().ConfigureAwait(false))
            {
                throw new InvalidOperationException("the engine ended a sequence without a final item");
            }
            if (call.Stream)
            {
                await ServerSentEvents.StartAsync(ctx).ConfigureAwait(false);
                if (header.Chat)
                {
                    await ServerSentEvents.WriteAsync(ctx, w => OpenAiJson.Chunk(w, header, "", withRole: true, null, call.IncludeUsage), aborted).ConfigureAwait(false);
                }
            }
            while (true)
            {
                var item = tokens.Current;
                Take(stats, progress, item, keepText: !call.Stream);
                if (call.Stream && item.Text.Length > 0)
                {
                    await ServerSentEvents.WriteAsync(ctx, w => OpenAiJson.Chunk(w, header, item.Text, withRole: false, null, call.IncludeUsage), aborted).ConfigureAwait(false);
                }
                if (item.Finish is not null)
                {
                    break;
                }
                if (!await tokens.MoveNextAsync().ConfigureAwait(false))
                {
                    throw new InvalidOperationException("the engine ended a sequence without a final item");
                }
            }
        }
        var finish = progress.Finish!.Value;
        aborted.ThrowIfCancellationRequested();
        service.Metrics.RecordFinished(stats, finish, progress.PromptTokens, progress.CompletionTokens, progress.TimeToFirstToken, progress.Elapsed);
        if (!call.Stream)
        {
            await OipResponses.JsonValueAsync(ctx, w => OpenAiJson.Completion(w, header, progress.Text.ToString(), finish, progress.Usage)).ConfigureAwait(false);
            return;
        }
        await ServerSentEvents.WriteAsync(ctx, w => OpenAiJson.Chunk(w, header, null, withRole: false, finish, call.IncludeUsage), aborted).ConfigureAwait(false);
        if (call.IncludeUsage)
        {
            await ServerSentEvents.WriteAsync(ctx, w => OpenAiJson.UsageChunk(w, header, progress.Usage), aborted).ConfigureAwait(false);
        }
        await ServerSentEvents.WriteDoneAsync(ctx, aborted).ConfigureAwait(false);
    }

    private void Take(LlmModelStats stats, SequenceProgress progress, in GeneratedToken item, bool keepText)
    {
        var first = progress.TimeToFirstToken is null;
        if (!progress.Add(item, keepText))
        {
            return;
        }
        if (first)
        {
            service.Metrics.RecordFirstToken(stats, progress.TimeToFirstToken!.Value);
        }
        else if (progress.LastGap is { } gap)
        {
            LlmMetrics.RecordInterToken(stats, gap);
        }
    }

    /// <summary>The whole error response, or (once a stream has started) one last error event and <c>[DONE]</c>.</summary>
    private static async Task WriteErrorAsync(HttpContext ctx, OpenAiException error)
    {
        if (!ctx.Response.HasStarted)
        {
            await OpenAiErrors.WriteAsync(ctx, error).ConfigureAwait(false);
            return;
        }
        try
        {
            await ServerSentEvents.WriteAsync(ctx, w =>
            {
                w.WriteStartObject();
                OpenAiErrors.WriteErrorMember(w, error);
                w.WriteEndObject();
            }, ctx.RequestAborted).ConfigureAwait(false);
            await ServerSentEvents.WriteDoneAsync(ctx, ctx.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            ctx.Abort();
        }
    }

    private static void Tag(Activity? activity, GenerationCall call, GenerationRequest request, string id)
    {
        if (activity is null)
        {
            return;
        }
        var operation = call.IsChat ? "chat" : "text_completion";
        activity.DisplayName = $"{operation} {call.Model}";
        activity.SetTag(GenAiTelemetry.OperationName, operation);
        activity.SetTag(GenAiTelemetry.ProviderName, "silica");
        activity.SetTag(GenAiTelemetry.RequestModel, call.Model);
        activity.SetTag(GenAiTelemetry.ResponseModel, call.Model);
        activity.SetTag(GenAiTelemetry.ResponseId, id);
        activity.SetTag(ServingTelemetry.RequestIdTag, id);
        var s = request.Sampling;
        activity.SetTag(GenAiTelemetry.RequestMaxTokens, s.MaxTokens);
        activity.SetTag(GenAiTelemetry.RequestTemperature, (double)s.Temperature);
        activity.SetTag(GenAiTelemetry.RequestTopP, (double)s.TopP);
        if (s.TopK > 0)
        {
            activity.SetTag(GenAiTelemetry.RequestTopK, s.TopK);
        }
        if (s.Seed is { } seed)
        {
            activity.SetTag(GenAiTelemetry.RequestSeed, seed);
        }
        if (s.Stop is { Count: > 0 } stop)
        {
            activity.SetTag(GenAiTelemetry.RequestStopSequences, stop.ToArray());
        }
    }

    private static void Finish(Activity? activity, SequenceProgress progress)
    {
        if (activity is null)
        {
            return;
        }
        activity.SetTag(GenAiTelemetry.UsageInputTokens, progress.PromptTokens);
        activity.SetTag(GenAiTelemetry.UsageOutputTokens, progress.CompletionTokens);
        activity.SetTag(GenAiTelemetry.ResponseFinishReasons, new[] { OpenAiJson.FinishLabel(progress.Finish ?? FinishReason.Cancelled) });
        if (progress.TimeToFirstToken is { } ttft)
        {
            activity.SetTag(GenAiTelemetry.TimeToFirstToken, ttft.TotalSeconds);
        }
    }

    private static ILogger Logger(HttpContext ctx) =>
        (ILogger?)ctx.RequestServices.GetService<ILoggerFactory>()?.CreateLogger<GenerationEndpoint>() ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    [LoggerMessage(Level = LogLevel.Error, Message = "{Path} failed")]
    private static partial void LogFailed(ILogger logger, Exception exception, PathString path);
}
