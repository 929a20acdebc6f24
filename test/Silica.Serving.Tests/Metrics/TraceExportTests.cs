using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Silica.Serving.Tests.Http;

namespace Silica.Serving.Tests.Metrics;

/// <summary>
/// Spans reach an OpenTelemetry collector over OTLP/HTTP. The collector here is a real Kestrel endpoint that keeps
/// what it is sent; protobuf carries strings as their UTF-8 bytes, so the request id shows in the exported body.
/// </summary>
public sealed class TraceExportTests
{
    [Fact]
    public async Task OtlpEndpoint_InferSpanWithRequestIdReachesTheCollector()
    {
        var received = new ConcurrentQueue<(string Path, byte[] Body)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var collector = builder.Build();
        collector.MapPost("/v1/traces", async ctx =>
        {
            using var buffer = new MemoryStream();
            await ctx.Request.Body.CopyToAsync(buffer);
            received.Enqueue((ctx.Request.Path, buffer.ToArray()));
            ctx.Response.StatusCode = StatusCodes.Status200OK;
        });
        await collector.StartAsync();
        var address = new Uri(collector.Urls.First());

        await using var rest = await RestServer.StartModelServerAsync(new ServerHostOptions { OtlpEndpoint = address });
        var id = "trace-" + Guid.NewGuid().ToString("N");
        using var response = await rest.PostJsonAsync("/v2/models/mlp/infer", RestServer.JsonBody(RestServer.Input(1), 1).Replace("\"id\":\"r1\"", $"\"id\":\"{id}\"", StringComparison.Ordinal));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var needle = Encoding.UTF8.GetBytes(id);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!received.Any(r => r.Body.AsSpan().IndexOf(needle) >= 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
        var export = Assert.Single(received, r => r.Body.AsSpan().IndexOf(needle) >= 0);
        Assert.Equal("/v1/traces", export.Path);
        Assert.True(export.Body.AsSpan().IndexOf("silica.request_id"u8) >= 0);
        Assert.True(export.Body.AsSpan().IndexOf("silica-serve"u8) >= 0);
    }
}
