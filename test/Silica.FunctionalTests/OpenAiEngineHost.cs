using System.Text;
using System.Text.Json;
using Silica.Runtime.Generation;
using Silica.Serving;
using Silica.Serving.OpenAi;

namespace Silica.FunctionalTests;

/// <summary>
/// A real Kestrel on 127.0.0.1 port 0 serving the real generation engine over the zoo's tiny Llama (synthetic
/// weights, GPT-2 tokenizer) through the OpenAI API, with the engine in reach for its statistics.
/// </summary>
public sealed class OpenAiEngineHost : IAsyncLifetime
{
    public const string Model = "llama-tiny";

    public GenerationEngine Engine { get; private set; } = null!;

    public ServerHost Host { get; private set; } = null!;

    public OpenAiService Service { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    /// <summary>The OpenAI base URL (<c>http://127.0.0.1:PORT/v1</c>), as SDKs take it.</summary>
    public Uri V1 => new(Host.HttpAddress, "v1");

    public async Task InitializeAsync()
    {
        // One running sequence and one waiting slot, so the 429 test can fill the queue deterministically.
        Engine = GenerationEngine.Create("zoo:" + Model, new GenerationEngineOptions { MaxRunningSequences = 2, MaxWaitingRequests = 2, MaxBatchedTokens = 256 });
        Service = new OpenAiService([Engine]);
        Host = ServerHost.Build(new ServerHostOptions { Host = "127.0.0.1", HttpPort = 0 }, new GenerationOnlyServer(), openAi: Service);
        await Host.StartAsync();
        Client = new HttpClient { BaseAddress = Host.HttpAddress, Timeout = TimeSpan.FromSeconds(120) };
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        Service.Dispose();
        await Engine.DisposeAsync();
    }

    public Task<HttpResponseMessage> PostAsync(string path, string json) =>
        Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    /// <summary>What greedy decoding of <paramref name="prompt"/> gives straight from the engine, without HTTP.</summary>
    public async Task<string> GreedyAsync(string prompt, int maxTokens)
    {
        var text = new StringBuilder();
        await foreach (var t in Engine.GenerateAsync(new GenerationRequest("direct", Engine.Tokenizer.Encode(prompt), SamplingOptions.Greedy(maxTokens))))
        {
            text.Append(t.Text);
        }
        return text.ToString();
    }

    /// <summary>The error object of an OpenAI error response, after checking the status.</summary>
    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        var error = doc.RootElement.GetProperty("error").Clone();
        foreach (var member in (string[])["message", "type", "param", "code"])
        {
            Assert.True(error.TryGetProperty(member, out _), $"the error object has no '{member}': {text}");
        }
        return error;
    }

    /// <summary>Asserts the server still answers a good request correctly.</summary>
    public async Task AssertServesAsync()
    {
        using var response = await PostAsync("/v1/completions", $$"""{"model":"{{Model}}","prompt":"The weather today","max_tokens":3,"temperature":0}""");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"a good request got {(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        Assert.Equal(await GreedyAsync("The weather today", 3), doc.RootElement.GetProperty("choices")[0].GetProperty("text").GetString());
    }
}
