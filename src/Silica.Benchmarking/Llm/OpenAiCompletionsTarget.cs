using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Silica.Benchmarking.Llm;

/// <summary>
/// Drives any OpenAI-compatible server (Silica, vLLM, TGI, llama.cpp's server, OpenAI itself) through streaming
/// <c>POST /v1/completions</c> with <c>stream_options.include_usage</c>, greedy decoding, and the prompt as text.
/// The first chunk that carries text marks the first token; the final usage chunk gives the token counts (without
/// one, each text chunk counts as one token).
/// </summary>
public sealed class OpenAiCompletionsTarget : ILlmTarget
{
    private readonly HttpClient _client;
    private readonly Uri _endpoint;
    private readonly string _model;

    /// <summary>Targets <paramref name="model"/> at <paramref name="baseUrl"/> (the server root or its <c>/v1</c>).</summary>
    /// <param name="baseUrl">E.g. <c>http://127.0.0.1:8000</c> or <c>http://127.0.0.1:8000/v1</c>.</param>
    /// <param name="model">The model name on the server.</param>
    /// <param name="apiKey">Sent as <c>Authorization: Bearer</c> when given.</param>
    public OpenAiCompletionsTarget(Uri baseUrl, string model, string? apiKey = null)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        ArgumentException.ThrowIfNullOrEmpty(model);
        var root = baseUrl.AbsoluteUri.TrimEnd('/');
        _endpoint = new Uri(root.EndsWith("/v1", StringComparison.Ordinal) ? root + "/completions" : root + "/v1/completions");
        _model = model;
        // Open loop: every in-flight request needs its own HTTP/1.1 connection, up to the same bound as the OIP client
        // (RemoteTarget.MaxConnections): past it a request waits for a connection rather than opening sockets until the
        // process runs out of descriptors.
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Remote.RemoteTarget.DefaultMaxConnections, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (apiKey is not null)
        {
            _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
    }

    /// <inheritdoc/>
    public string Description => $"{_model} at {_endpoint}";

    /// <inheritdoc/>
    public async Task<LlmOutcome> SendAsync(LlmRequest request, long scheduledTimestamp, Action<TimeSpan> interTokenGap, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(interTokenGap);
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["model"] = _model,
            ["prompt"] = SyntheticPrompt.Text(request.PromptTokens, request.PromptSeed),
            ["max_tokens"] = request.OutputTokens,
            ["temperature"] = 0,
            ["stream"] = true,
            ["stream_options"] = new Dictionary<string, bool> { ["include_usage"] = true },
        }, LlmJsonContext.Default.DictionaryStringObject);
        using var message = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        try
        {
            using var response = await _client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                return LlmOutcome.Failed($"HTTP {(int)response.StatusCode}: {ErrorMessage(text)}", Stopwatch.GetElapsedTime(scheduledTimestamp));
            }
            using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return await ReadStreamAsync(reader, scheduledTimestamp, interTokenGap, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return LlmOutcome.Failed($"cannot reach {_endpoint}: {e.Message}", Stopwatch.GetElapsedTime(scheduledTimestamp));
        }
        catch (IOException e)
        {
            return LlmOutcome.Failed($"the stream broke: {e.Message}", Stopwatch.GetElapsedTime(scheduledTimestamp));
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        return ValueTask.CompletedTask;
    }

    private static async Task<LlmOutcome> ReadStreamAsync(StreamReader reader, long scheduled, Action<TimeSpan> gap, CancellationToken cancellationToken)
    {
        TimeSpan? first = null;
        long last = 0;
        var chunks = 0;
        int? promptTokens = null;
        int? completionTokens = null;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (!line.StartsWith("data:", StringComparison.Ordinal))
            {
                continue; // blank separators, comments, event names
            }
            var data = line.AsSpan(5).Trim();
            if (data.SequenceEqual("[DONE]"))
            {
                break;
            }
            var now = Stopwatch.GetTimestamp();
            using var doc = JsonDocument.Parse(data.ToString());
            var root = doc.RootElement;
            if (root.TryGetProperty("error", out var error))
            {
                return LlmOutcome.Failed("the server ended the stream with an error: " + ErrorMessage(error.GetRawText()), Stopwatch.GetElapsedTime(scheduled));
            }
            if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                promptTokens = usage.GetProperty("prompt_tokens").GetInt32();
                completionTokens = usage.GetProperty("completion_tokens").GetInt32();
            }
            if (root.TryGetProperty("choices", out var choices) && choices.GetArrayLength() > 0
                && choices[0].TryGetProperty("text", out var text) && text.GetString() is { Length: > 0 })
            {
                chunks++;
                if (first is null)
                {
                    first = Stopwatch.GetElapsedTime(scheduled, now);
                }
                else
                {
                    gap(Stopwatch.GetElapsedTime(last, now));
                }
                last = now;
            }
        }
        var end = Stopwatch.GetElapsedTime(scheduled);
        return first is { } ttft
            ? new LlmOutcome(null, promptTokens ?? 0, completionTokens ?? chunks, ttft, end)
            : LlmOutcome.Failed("the stream ended without generating text", end);
    }

    private static string ErrorMessage(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var error = root.TryGetProperty("error", out var e) ? e : root;
            return error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) ? m.GetString() ?? json
                : error.ValueKind == JsonValueKind.String ? error.GetString()! : json;
        }
        catch (JsonException)
        {
            return json.Length > 200 ? json[..200] : json;
        }
    }
}
