using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Silica.Onnx.Model;
using Silica.Serving.Core;
using Silica.Serving.Grpc;

namespace Silica.Benchmarking.Tests.Remote;

/// <summary>
/// A real Kestrel on 127.0.0.1 serving just enough of OIP v2 for the bench client: REST metadata and infer (JSON FP32
/// tensors and the binary extension) over HTTP/1.1 on one port, and Silica's gRPC front end over HTTP/2 on another.
/// Stands in for the REST front end, which another branch builds.
/// </summary>
internal sealed class RestTestHost : IAsyncDisposable
{
    private const string HeaderLength = "Inference-Header-Content-Length";
    private readonly WebApplication _app;

    private RestTestHost(WebApplication app, Uri rest, Uri grpc)
    {
        _app = app;
        RestAddress = rest;
        GrpcAddress = grpc;
    }

    public Uri RestAddress { get; }

    public Uri GrpcAddress { get; }

    public static async Task<RestTestHost> StartAsync(IInferenceServer server)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http1);
            k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddSingleton(server);
        builder.Services.AddInferenceGrpc();
        var app = builder.Build();
        GrpcEndpoints.Map(app);
        app.MapGet("/v2/models/{model}", (string model) => Answer(() => Microsoft.AspNetCore.Http.Results.Json(server.GetModelMetadata(model, null), JsonOptions)));
        app.MapPost("/v2/models/{model}/infer", (string model, HttpContext context) => InferAsync(server, model, context));
        await app.StartAsync();
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.ToArray();
        // Kestrel lists the endpoints in the order they were configured.
        return new RestTestHost(app, new Uri(addresses[0]), new Uri(addresses[1]));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    private static IResult Answer(Func<IResult> run)
    {
        try
        {
            return run();
        }
        catch (ModelNotFoundException e)
        {
            return Microsoft.AspNetCore.Http.Results.Json(new { error = e.Message }, statusCode: 404);
        }
        catch (InvalidRequestException e)
        {
            return Microsoft.AspNetCore.Http.Results.Json(new { error = e.Message }, statusCode: 400);
        }
    }

    private static async Task InferAsync(IInferenceServer server, string model, HttpContext context)
    {
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        var bytes = body.ToArray();
        var binary = context.Request.Headers.TryGetValue(HeaderLength, out var h);
        var jsonLength = binary ? int.Parse(h.ToString(), CultureInfo.InvariantCulture) : bytes.Length;
        using var doc = JsonDocument.Parse(bytes.AsMemory(0, jsonLength));
        var offset = jsonLength;
        var inputs = new List<NamedTensor>();
        foreach (var input in doc.RootElement.GetProperty("inputs").EnumerateArray())
        {
            long[] shape = [.. input.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())];
            byte[] data;
            if (binary)
            {
                var size = input.GetProperty("parameters").GetProperty("binary_data_size").GetInt32();
                data = bytes.AsSpan(offset, size).ToArray();
                offset += size;
            }
            else
            {
                float[] floats = [.. input.GetProperty("data").EnumerateArray().Select(e => e.GetSingle())];
                data = MemoryMarshal.AsBytes(floats.AsSpan()).ToArray();
            }
            inputs.Add(new NamedTensor(input.GetProperty("name").GetString()!, TensorDataType.Float, shape, data));
        }
        InferenceResult result;
        try
        {
            result = await server.InferAsync(new InferenceRequest(model, null, null, inputs), context.RequestAborted);
        }
        catch (Exception e) when (e is ModelNotFoundException or InvalidRequestException)
        {
            await Answer(() => throw e).ExecuteAsync(context);
            return;
        }
        var output = result.Outputs[0];
        var header = new Dictionary<string, object>
        {
            ["model_name"] = result.Model,
            ["outputs"] = new[]
            {
                binary
                    ? new Dictionary<string, object> { ["name"] = output.Name, ["datatype"] = "FP32", ["shape"] = output.Shape, ["parameters"] = new { binary_data_size = output.Data.Length } }
                    : new Dictionary<string, object> { ["name"] = output.Name, ["datatype"] = "FP32", ["shape"] = output.Shape, ["data"] = MemoryMarshal.Cast<byte, float>(output.Data.Span).ToArray() },
            },
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(header);
        if (binary)
        {
            context.Response.Headers[HeaderLength] = json.Length.ToString(CultureInfo.InvariantCulture);
            context.Response.ContentType = "application/octet-stream";
            await context.Response.Body.WriteAsync(json);
            await context.Response.Body.WriteAsync(output.Data);
        }
        else
        {
            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(json);
        }
    }
}
