using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Silica.FunctionalTests;

/// <summary>
/// Silica's OpenAI API with a raw HttpClient over the real engine: SSE framing, every refusal in OpenAI's error
/// object (the server keeps serving after each), the queue limit, and a client that leaves mid-stream.
/// </summary>
public sealed class OpenAiHttpTests(OpenAiEngineHost host) : IClassFixture<OpenAiEngineHost>
{
    private const string M = OpenAiEngineHost.Model;

    [Fact]
    public async Task Completions_Streamed_FramesEveryEventAsSseAndMatchesGreedy()
    {
        using var response = await host.PostAsync("/v1/completions",
            $$$"""{"model":"{{{M}}}","prompt":"Once upon a time","max_tokens":8,"temperature":0,"stream":true,"stream_options":{"include_usage":true}}""");

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.EndsWith("data: [DONE]\n\n", body, StringComparison.Ordinal);
        var events = body[..^2].Split("\n\n");
        Assert.All(events, e => Assert.StartsWith("data: ", e, StringComparison.Ordinal));
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e["data: ".Length..]).RootElement).ToList();
        var text = string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() > 0).Select(c => c.GetProperty("choices")[0].GetProperty("text").GetString()));
        Assert.Equal(await host.GreedyAsync("Once upon a time", 8), text);
        var usage = chunks[^1].GetProperty("usage");
        Assert.Equal(0, chunks[^1].GetProperty("choices").GetArrayLength());
        Assert.Equal(8, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + 8, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal("length", chunks[^2].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task Completions_StopSequence_EndsBeforeItWithFinishStop()
    {
        var free = await host.GreedyAsync("Once upon a time", 12);
        // Stop on a piece of what greedy decoding would produce, so the stop must fire.
        var stop = free.Trim().Length >= 2 ? free.Trim()[..2] : free;

        using var response = await host.PostAsync("/v1/completions",
            JsonSerializer.Serialize(new Dictionary<string, object> { ["model"] = M, ["prompt"] = "Once upon a time", ["max_tokens"] = 12, ["temperature"] = 0, ["stop"] = new[] { stop } }));

        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var choice = doc.RootElement.GetProperty("choices")[0];
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(free[..free.IndexOf(stop, StringComparison.Ordinal)], choice.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("""{"model":"MODEL","messages":[{"role":"user","content":"hi"}],"n":3}""", 400, "n")]
    [InlineData("""{"model":"MODEL","messages":[{"role":"user","content":"hi"}],"temperature":-1}""", 400, "temperature")]
    [InlineData("""{"model":"MODEL","messages":[{"role":"user","content":"hi"}],"top_p":1.5}""", 400, "top_p")]
    [InlineData("""{"model":"MODEL","messages":[{"role":"user","content":"hi"}],"top_k":-2}""", 400, "top_k")]
    [InlineData("""{"model":"MODEL","messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", 400, "max_tokens")]
    [InlineData("""{"model":"MODEL","messages":[{"role":"user","content":"hi"}],"stop":["a","b","c","d","e"]}""", 400, "stop")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""", 404, "model")]
    [InlineData("""{"model":"MODEL","messages":[{"role":"user","content":"hi"}""", 400, null)]
    public async Task Chat_BadRequest_AnswersOpenAiErrorNamingTheFieldThenServesAGoodOne(string body, int status, string? param)
    {
        using var response = await host.PostAsync("/v1/chat/completions", body.Replace("MODEL", M, StringComparison.Ordinal));

        var error = await OpenAiEngineHost.ErrorAsync(response, status);
        if (param is not null)
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
            Assert.Contains(param == "model" ? "gpt-4o" : param, error.GetProperty("message").GetString(), StringComparison.Ordinal);
        }
        await host.AssertServesAsync();
    }

    [Fact]
    public async Task Completions_PromptOverTheContextLength_Answers400NamingTheLimit()
    {
        var context = host.Engine.ContextLength;
        var prompt = string.Join(" ", Enumerable.Repeat("the", context + 10));

        using var response = await host.PostAsync("/v1/completions", $$"""{"model":"{{M}}","prompt":"{{prompt}}","max_tokens":1}""");

        var error = await OpenAiEngineHost.ErrorAsync(response, 400);
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        Assert.Contains($"maximum context length is {context} tokens", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        await host.AssertServesAsync();
    }

    [Fact]
    public async Task Chat_ClientDisconnectsMidStream_SequenceStopsAndItsCacheBlocksAreFreed()
    {
        await WaitIdleAsync();
        var before = host.Engine.Stats.GeneratedTokensTotal;
        var max = host.Engine.ContextLength - 32;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{M}}","messages":[{"role":"user","content":"Tell me a long story."}],"max_tokens":{{max}},"stream":true}""",
                Encoding.UTF8, "application/json"),
        };
        // Its own client that drains nothing, so disposing the response closes the connection at once (the shared
        // client would read on for up to 2 s to keep the connection, long enough for the story to finish).
        using var leaving = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = host.Client.BaseAddress };
        var response = await leaving.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        Assert.True(await stream.ReadAsync(new byte[64]) > 0);
        var held = host.Engine.Stats;
        Assert.True(held.KvBlocksUsed > 0, "the streaming sequence holds cache blocks");

        response.Dispose();

        var stats = await WaitIdleAsync();
        Assert.Equal(0, stats.KvBlocksUsed);
        Assert.Equal(0, stats.Running);
        Assert.True(stats.GeneratedTokensTotal - before < max, $"generation stopped early ({stats.GeneratedTokensTotal - before} of {max} tokens)");
        await host.AssertServesAsync();
        // The endpoint counts the abort as the cancellation unwinds it, which can trail the engine's own bookkeeping.
        var aborted = $"silica_generation_requests_total\\{{model=\"{M}\",finished_reason=\"abort\"\\}} [1-9]";
        var metrics = await host.Client.GetStringAsync("/metrics");
        var clock = Stopwatch.StartNew();
        while (!Regex.IsMatch(metrics, aborted) && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
            metrics = await host.Client.GetStringAsync("/metrics");
        }
        Assert.Matches(aborted, metrics);
    }

    [Fact]
    public async Task Chat_TooManyWaiting_Answers429WithRetryAfterAndOthersStillComplete()
    {
        await WaitIdleAsync();
        // Two run and two wait (the host's engine limits); each asks for the whole context so they outlast the test.
        var max = host.Engine.ContextLength - 32;
        using var cts = new CancellationTokenSource();
        var hogs = new List<Task>();
        for (var i = 0; i < 4; i++)
        {
            // One at a time, each admitted or queued before the next: the engine counts the queue as it admits.
            var prompt = $"Story {i}:";
            hogs.Add(Task.Run(async () =>
            {
                using var r = new HttpRequestMessage(HttpMethod.Post, "/v1/completions")
                {
                    Content = new StringContent($$"""{"model":"{{M}}","prompt":"{{prompt}}","max_tokens":{{max}},"stream":true}""", Encoding.UTF8, "application/json"),
                };
                try
                {
                    using var resp = await host.Client.SendAsync(r, HttpCompletionOption.ResponseHeadersRead, cts.Token);
                    await resp.Content.CopyToAsync(Stream.Null, cts.Token);
                }
                catch (OperationCanceledException)
                {
                    // Cancelled by the test once it has seen the 429.
                }
            }));
            var clock = Stopwatch.StartNew();
            // Two admitted before any waits: a request still queued for admission counts against the waiting limit.
            var (running, waiting) = (Math.Min(i + 1, 2), Math.Max(0, i - 1));
            while (host.Engine.Stats is var s && (s.Running, s.Waiting) != (running, waiting) && clock.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(2);
            }
        }
        Assert.Equal((2, 2), (host.Engine.Stats.Running, host.Engine.Stats.Waiting));

        using var refused = await host.PostAsync("/v1/completions", $$"""{"model":"{{M}}","prompt":"one more","max_tokens":2}""");

        var error = await OpenAiEngineHost.ErrorAsync(refused, 429);
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        await cts.CancelAsync();
        await Task.WhenAll(hogs);
        await WaitIdleAsync();
        await host.AssertServesAsync();
    }

    [Fact]
    public async Task Metrics_AfterRequests_ShowTtftTpotTokensAndCacheGauges()
    {
        await host.AssertServesAsync();

        var metrics = await host.Client.GetStringAsync("/metrics");

        foreach (var family in (string[])["silica_time_to_first_token_seconds_bucket", "silica_time_per_output_token_seconds_sum", "silica_inter_token_latency_seconds_count",
            "silica_e2e_request_latency_seconds_count", "silica_prompt_tokens_total", "silica_generation_tokens_total", "silica_kv_cache_usage_perc",
            "silica_num_requests_running", "silica_num_requests_waiting"])
        {
            Assert.Contains($"{family}{{model=\"{M}\"", metrics, StringComparison.Ordinal);
        }
        var generated = metrics.Split('\n').Single(l => l.StartsWith($"silica_generation_tokens_total{{model=\"{M}\"}}", StringComparison.Ordinal));
        Assert.True(long.Parse(generated.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) >= 3, generated);
    }

    [Fact]
    public async Task Models_ListsTheServedDecoder()
    {
        using var doc = JsonDocument.Parse(await host.Client.GetStringAsync("/v1/models"));

        Assert.Contains(M, doc.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }

    private async Task<Silica.Runtime.Generation.GenerationStats> WaitIdleAsync()
    {
        var clock = Stopwatch.StartNew();
        while (host.Engine.Stats is var s && (s.Running > 0 || s.Waiting > 0 || s.KvBlocksUsed > 0) && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(10);
        }
        return host.Engine.Stats;
    }
}
