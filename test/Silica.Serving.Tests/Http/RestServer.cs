using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Silica.Runtime.Batching;
using Silica.Serving.Core;
using Silica.Serving.Hosting;
using Silica.Serving.Metrics;
using Silica.Serving.Repository;

namespace Silica.Serving.Tests.Http;

/// <summary>
/// A real Kestrel <see cref="ServerHost"/> on 127.0.0.1 port 0 over the <c>mlp</c> test model, served either by the
/// hand-written <see cref="CpuTestServer"/> (front-end tests) or by the real <see cref="ModelServer"/>; and a client.
/// </summary>
internal sealed class RestServer : IAsyncDisposable
{
    private readonly Reference _reference;

    private RestServer(ServerHost host, IInferenceServer server, Silica.Onnx.Graph.OnnxModel? model = null)
    {
        _reference = new Reference(model ?? CpuTestServer.BuildMlp());
        Host = host;
        Server = server;
        Client = new HttpClient { BaseAddress = host.HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public ServerHost Host { get; }

    public IInferenceServer Server { get; }

    /// <summary>The hand-written test server, for tests that steer it.</summary>
    public CpuTestServer Test => (CpuTestServer)Server;

    public HttpClient Client { get; }

    /// <summary>The real <see cref="ModelServer"/>'s counters for mlp version 1 (servers from <see cref="StartModelServerAsync"/>).</summary>
    public VersionStats Stats =>
        ((ModelServer)Server).Metrics.Find(CpuTestServer.Model, "1") ?? throw new InvalidOperationException("no stats for mlp v1");

    /// <summary>Over the hand-written <see cref="CpuTestServer"/>.</summary>
    public static async Task<RestServer> StartAsync(ServerHostOptions? options = null, BatcherOptions? batching = null)
    {
        var server = new CpuTestServer(batching);
        var host = ServerHost.Build((options ?? new ServerHostOptions()) with { Host = "127.0.0.1", HttpPort = 0 }, server);
        await host.StartAsync();
        return new RestServer(host, server);
    }

    /// <summary>Over the real <see cref="ModelServer"/> serving the same model as <c>mlp</c> version 1.</summary>
    public static async Task<RestServer> StartModelServerAsync(ServerHostOptions? options = null, ModelConfig? config = null, Silica.Onnx.Graph.OnnxModel? model = null)
    {
        model ??= CpuTestServer.BuildMlp();
        var server = ModelServer.ForModel(model, CpuTestServer.Model,
            config ?? new ModelConfig { MaxBatchSize = 4, MaxQueueDelayMicroseconds = 500 });
        await server.StartAsync();
        var host = ServerHost.Build((options ?? new ServerHostOptions()) with { Host = "127.0.0.1", HttpPort = 0 }, server);
        await host.StartAsync();
        return new RestServer(host, server, model);
    }

    /// <summary>The model's output computed in-process with ONNX Runtime, without any server.</summary>
    public float[] Expected(float[] x, int rows) => _reference.Run(x, rows);

    /// <summary>Deterministic inputs for <paramref name="rows"/> rows.</summary>
    public static float[] Input(int rows, int seed = 1)
    {
        var v = new float[rows * CpuTestServer.In];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = MathF.Sin((seed * 131) + (i * 0.37f));
        }
        return v;
    }

    /// <summary>A JSON infer body for input x.</summary>
    public static string JsonBody(float[] x, int rows, string extra = "") =>
        $$"""{"id":"r1","inputs":[{"name":"x","shape":[{{rows}},{{CpuTestServer.In}}],"datatype":"FP32","data":[{{string.Join(",", x.Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture)))}}]}]{{extra}}}""";

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json) =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public Task<HttpResponseMessage> PostBytesAsync(string path, byte[] body, long? headerLength)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (headerLength is { } h)
        {
            request.Headers.TryAddWithoutValidation("Inference-Header-Content-Length", h.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        return Client.SendAsync(request);
    }

    /// <summary>Asserts a good request still gets the right answer: the server survived whatever came before.</summary>
    public async Task AssertServesAsync(int rows = 2)
    {
        var x = Input(rows, seed: 9);
        using var response = await PostJsonAsync("/v2/models/mlp/infer", JsonBody(x, rows));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"good request after the fault got {(int)response.StatusCode}: {text}");
        Assert.Equal(Expected(x, rows), OutputData(text));
    }

    /// <summary>Asserts the status and that the body is <c>{"error": "..."}</c> containing each fragment; returns the message.</summary>
    public static async Task<string> AssertErrorAsync(HttpResponseMessage response, int status, params string[] fragments)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        var message = doc.RootElement.GetProperty("error").GetString()!;
        foreach (var f in fragments)
        {
            Assert.Contains(f, message, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
        return message;
    }

    /// <summary>The data of output y in a JSON response.</summary>
    public static float[] OutputData(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var y = doc.RootElement.GetProperty("outputs")[0];
        return [.. y.GetProperty("data").EnumerateArray().Select(e => e.GetSingle())];
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        if (Server is IAsyncDisposable d)
        {
            await d.DisposeAsync();
        }
    }

    private sealed class Reference(Silica.Onnx.Graph.OnnxModel model)
    {
        public float[] Run(float[] x, int rows) => CpuTestServer.Run(model, x, rows);
    }
}
