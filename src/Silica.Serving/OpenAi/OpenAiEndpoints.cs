using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Silica.Serving.Http;

namespace Silica.Serving.OpenAi;

/// <summary>The OpenAI-compatible routes under <c>/v1</c>. Their errors use OpenAI's error object, not the OIP one.</summary>
internal static class OpenAiEndpoints
{
    public static void Map(IEndpointRouteBuilder app, RestContext rest, OpenAiService service)
    {
        var generation = new GenerationEndpoint(service, rest);
        var embeddings = new EmbeddingsEndpoint(service, rest);
        app.MapPost("/v1/chat/completions", ctx => generation.HandleAsync(ctx, chat: true));
        app.MapPost("/v1/completions", ctx => generation.HandleAsync(ctx, chat: false));
        app.MapPost("/v1/embeddings", embeddings.HandleAsync);
        app.MapGet("/v1/models", ctx => ModelsAsync(ctx, rest, service));
        app.MapGet("/v1/models/{model}", ctx => ModelsAsync(ctx, rest, service));
        // Unknown /v1 routes answer in OpenAI's shape too, so an SDK shows the message.
        app.Map("/v1/{**rest}", ctx => OpenAiErrors.WriteAsync(ctx, new OpenAiException(StatusCodes.Status404NotFound,
            $"no such endpoint: {ctx.Request.Method} {Http.Codec.RequestDocument.Printable(ctx.Request.Path.Value ?? "")}", null, "unknown_url")));
    }

    /// <summary>The generation models, then the ready encoders of the inference server (embeddings).</summary>
    internal static List<string> ModelNames(RestContext rest, OpenAiService service)
    {
        var names = service.Generators.Select(g => g.ModelName).ToList();
        foreach (var entry in rest.Server.Index(readyOnly: true).DistinctBy(e => e.Name))
        {
            try
            {
                if (!names.Contains(entry.Name) && EncoderModel.From(rest.Server.GetModelMetadata(entry.Name, null)) is not null)
                {
                    names.Add(entry.Name);
                }
            }
            catch (Exception e) when (e is Core.ModelNotFoundException or Core.ModelNotReadyException)
            {
                // Unloaded between the index and the lookup: not listed.
            }
        }
        return names;
    }

    private static async Task ModelsAsync(HttpContext ctx, RestContext rest, OpenAiService service)
    {
        try
        {
            rest.Keys.RequireInference(ctx.Request);
            var names = ModelNames(rest, service);
            var created = service.Created;
            if (ctx.Request.RouteValues["model"] is string one)
            {
                if (!names.Contains(one))
                {
                    throw new OpenAiException(StatusCodes.Status404NotFound, $"The model '{one}' does not exist", "model", "model_not_found");
                }
                await OipResponses.JsonAsync(ctx, w =>
                {
                    w.WriteString("id"u8, one);
                    w.WriteString("object"u8, "model");
                    w.WriteNumber("created"u8, created);
                    w.WriteString("owned_by"u8, "silica");
                }).ConfigureAwait(false);
                return;
            }
            await OipResponses.JsonValueAsync(ctx, w => OpenAiJson.Models(w, names, created)).ConfigureAwait(false);
        }
        catch (Exception e) when (OpenAiErrors.Map(e, "model") is { } error)
        {
            await OpenAiErrors.WriteAsync(ctx, error).ConfigureAwait(false);
        }
    }
}
