// A bare Kestrel endpoint: POST anything → 200 with a fixed body read from a file (the same bytes as a real
// OIP v2 infer answer), GET /v2/models/{m} → a fixed metadata document (so `silica bench --url` can connect).
// With an HTTP/2 port and a gRPC answer file it also listens there (HTTP/2 only, as a gRPC port without TLS) and
// answers a POST with content-type application/grpc with those bytes and the trailer grpc-status: 0, which is
// all a gRPC unary answer is on the wire.
// Usage: BareKestrel <port> <response-body-file> <metadata-file> [<http2-port> <grpc-response-file>];
// prints "listening <url>" once bound.
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var port = int.Parse(args[0], CultureInfo.InvariantCulture);
var body = File.ReadAllBytes(args[1]);
var metadata = File.ReadAllBytes(args[2]);
var grpcBody = args.Length >= 5 ? File.ReadAllBytes(args[4]) : null;

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k =>
{
    k.ListenLocalhost(port);
    if (grpcBody is not null)
    {
        k.ListenLocalhost(int.Parse(args[3], CultureInfo.InvariantCulture), l => l.Protocols = HttpProtocols.Http2);
    }
});
var app = builder.Build();

app.MapPost("/{**path}", async (HttpContext context) =>
{
    // Read the request as a real server must, then answer with the fixed body.
    var request = context.Request.BodyReader;
    while (true)
    {
        var read = await request.ReadAsync(context.RequestAborted).ConfigureAwait(false);
        request.AdvanceTo(read.Buffer.End);
        if (read.IsCompleted)
        {
            break;
        }
    }
    if (grpcBody is not null && context.Request.ContentType == "application/grpc")
    {
        context.Response.ContentType = "application/grpc";
        await context.Response.Body.WriteAsync(grpcBody, context.RequestAborted).ConfigureAwait(false);
        context.Response.AppendTrailer("grpc-status", "0");
        return;
    }
    context.Response.ContentType = "application/json";
    context.Response.ContentLength = body.Length;
    context.Response.Headers["X-Request-Id"] = context.TraceIdentifier;
    await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
});
app.MapGet("/{**path}", async (HttpContext context) =>
{
    context.Response.ContentType = "application/json";
    context.Response.ContentLength = metadata.Length;
    await context.Response.Body.WriteAsync(metadata, context.RequestAborted).ConfigureAwait(false);
});

await app.StartAsync().ConfigureAwait(false);
Console.WriteLine($"listening http://127.0.0.1:{port}/");
await app.WaitForShutdownAsync().ConfigureAwait(false);
