using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Silica.Serving.Core;

namespace Silica.Serving.Http;

/// <summary>
/// The Open Inference Protocol v2 REST routes (health, metadata, infer, repository, statistics) and <c>/metrics</c>.
/// Handlers are plain <see cref="RequestDelegate"/>s: no model binding or reflection on the request path.
/// </summary>
internal static class RestEndpoints
{
    private const string Model = "/v2/models/{model}";
    private const string Version = "/v2/models/{model}/versions/{version}";

    public static void Map(IEndpointRouteBuilder app, RestContext rest)
    {
        app.MapGet("/v2/health/live", ctx => OipResponses.FlagAsync(ctx, "live"u8, rest.Server.IsLive));
        app.MapGet("/v2/health/ready", ctx => OipResponses.FlagAsync(ctx, "ready"u8, rest.IsReady));
        app.MapGet("/v2", ctx =>
        {
            rest.Keys.RequireInference(ctx.Request);
            return OipResponses.JsonAsync(ctx, w => OipJson.ServerMetadata(w, rest.Server.Metadata));
        });
        foreach (var prefix in (string[])[Model, Version])
        {
            app.MapGet(prefix, ctx => ModelMetadataAsync(ctx, rest));
            app.MapGet(prefix + "/ready", ctx => ModelReadyAsync(ctx, rest));
            app.MapPost(prefix + "/infer", ctx => InferEndpoint.HandleAsync(ctx, rest));
            app.MapGet(prefix + "/stats", ctx => StatisticsAsync(ctx, rest, all: false));
        }
        app.MapGet("/v2/models/stats", ctx => StatisticsAsync(ctx, rest, all: true));
        app.MapPost("/v2/repository/index", ctx => IndexAsync(ctx, rest));
        app.MapPost("/v2/repository/models/{model}/load", ctx => ModelControlAsync(ctx, rest, load: true));
        app.MapPost("/v2/repository/models/{model}/unload", ctx => ModelControlAsync(ctx, rest, load: false));
        app.MapGet("/metrics", ctx => MetricsAsync(ctx, rest));
        app.MapFallback(ctx => OipResponses.ErrorAsync(ctx, StatusCodes.Status404NotFound,
            $"no such endpoint: {ctx.Request.Method} {Codec.RequestDocument.Printable(ctx.Request.Path.Value ?? "")}"));
    }

    /// <summary>The model and version of the route, validated before anything looks them up.</summary>
    internal static (string Model, string? Version) Route(HttpContext ctx)
    {
        var model = ctx.Request.RouteValues["model"] as string ?? "";
        var version = ctx.Request.RouteValues["version"] as string;
        // The repository's own rule, so a name is judged the same way at the door and on disk.
        Repository.ModelNames.Validate(model);
        if (version is not null)
        {
            Repository.ModelNames.ParseVersion(version);
        }
        return (model, version);
    }

    private static Task ModelMetadataAsync(HttpContext ctx, RestContext rest)
    {
        rest.Keys.RequireInference(ctx.Request);
        var (model, version) = Route(ctx);
        var metadata = rest.Server.GetModelMetadata(model, version);
        return OipResponses.JsonAsync(ctx, w => OipJson.ModelMetadata(w, metadata));
    }

    private static Task ModelReadyAsync(HttpContext ctx, RestContext rest)
    {
        rest.Keys.RequireInference(ctx.Request);
        var (model, version) = Route(ctx);
        var ready = !rest.Draining && rest.Server.IsModelReady(model, version);
        ctx.Response.StatusCode = ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable;
        return OipResponses.JsonAsync(ctx, w =>
        {
            w.WriteString("name"u8, model);
            w.WriteBoolean("ready"u8, ready);
        });
    }

    private static Task StatisticsAsync(HttpContext ctx, RestContext rest, bool all)
    {
        rest.Keys.RequireInference(ctx.Request);
        var (model, version) = all ? (null, null) : Route(ctx);
        var stats = rest.Server.Statistics(model, version);
        return OipResponses.JsonAsync(ctx, w => OipJson.Statistics(w, stats));
    }

    private static async Task IndexAsync(HttpContext ctx, RestContext rest)
    {
        rest.Keys.RequireInference(ctx.Request);
        var readyOnly = await IndexRequest.ReadReadyOnlyAsync(ctx, rest.Options).ConfigureAwait(false);
        var entries = rest.Server.Index(readyOnly);
        await OipResponses.JsonValueAsync(ctx, w => OipJson.Index(w, entries)).ConfigureAwait(false);
    }

    private static async Task ModelControlAsync(HttpContext ctx, RestContext rest, bool load)
    {
        if (!rest.Options.AllowModelControl)
        {
            throw new ApiKeyException(StatusCodes.Status403Forbidden, "model control is disabled; start the server with --allow-model-control and an admin key");
        }
        rest.Keys.RequireAdmin(ctx.Request);
        var (model, _) = Route(ctx);
        if (load)
        {
            await rest.Server.LoadAsync(model, ctx.RequestAborted).ConfigureAwait(false);
        }
        else
        {
            await rest.Server.UnloadAsync(model, ctx.RequestAborted).ConfigureAwait(false);
        }
        await OipResponses.JsonAsync(ctx, _ => { }).ConfigureAwait(false);
    }

    private static Task MetricsAsync(HttpContext ctx, RestContext rest)
    {
        if (rest.Metrics is not { } metrics)
        {
            return OipResponses.ErrorAsync(ctx, StatusCodes.Status404NotFound, "this server exports no metrics");
        }
        var text = metrics.RenderPrometheus();
        return OipResponses.WriteAsync(ctx, System.Text.Encoding.UTF8.GetBytes(text), "text/plain; version=0.0.4; charset=utf-8");
    }
}
