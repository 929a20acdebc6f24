// A bare Kestrel endpoint: POST anything → 200 with a fixed body read from a file (the same bytes as a real
// OIP v2 infer answer), GET /v2/models/{m} → a fixed metadata document (so `silica bench --url` can connect).
// Usage: BareKestrel <port> <response-body-file> <metadata-file>; prints "listening <url>" once bound.
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

var port = int.Parse(args[0], CultureInfo.InvariantCulture);
var body = File.ReadAllBytes(args[1]);
var metadata = File.ReadAllBytes(args[2]);

var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.ListenLocalhost(port));
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
