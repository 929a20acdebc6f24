using System.Text;
using System.Text.Json;
using Silica.Serving.Core;
using Silica.Serving.OpenAi;

namespace Silica.Serving.Tests.OpenAi;

/// <summary>A real Kestrel host on 127.0.0.1 port 0 with the OpenAI API over the given engines, and a client.</summary>
internal sealed class OpenAiTestHost : IAsyncDisposable
{
    private OpenAiTestHost(ServerHost host, OpenAiService service)
    {
        Host = host;
        Service = service;
        Client = new HttpClient { BaseAddress = host.HttpAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public ServerHost Host { get; }

    public OpenAiService Service { get; }

    public HttpClient Client { get; }

    public static async Task<OpenAiTestHost> StartAsync(IEnumerable<Runtime.Generation.IGenerationEngine> engines, ServerHostOptions? options = null,
        IInferenceServer? server = null, OpenAiServiceOptions? openAiOptions = null)
    {
        var service = new OpenAiService(engines, openAiOptions);
        var host = ServerHost.Build((options ?? new ServerHostOptions()) with { Host = "127.0.0.1", HttpPort = 0 },
            server ?? new GenerationOnlyServer(), openAi: service);
        await host.StartAsync();
        return new OpenAiTestHost(host, service);
    }

    public Task<HttpResponseMessage> PostAsync(string path, string json) =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>Asserts an OpenAI error object with the status, param and message fragments; returns the error element's text.</summary>
    public static async Task<JsonElement> AssertErrorAsync(HttpResponseMessage response, int status, string? param, params string[] fragments)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        var error = doc.RootElement.GetProperty("error");
        var message = error.GetProperty("message").GetString()!;
        Assert.False(string.IsNullOrEmpty(error.GetProperty("type").GetString()));
        Assert.True(error.TryGetProperty("code", out _), "the error object has a code member");
        if (param is not null)
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }
        foreach (var f in fragments)
        {
            Assert.Contains(f, message, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
        return error.Clone();
    }

    /// <summary>The data payloads of a server-sent-events body, checking the framing of every event on the way.</summary>
    public static List<string> Events(string body)
    {
        Assert.EndsWith("\n\n", body, StringComparison.Ordinal);
        var events = body[..^2].Split("\n\n");
        foreach (var e in events)
        {
            Assert.StartsWith("data: ", e, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e);
        }
        return [.. events.Select(e => e["data: ".Length..])];
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        Service.Dispose();
    }
}
