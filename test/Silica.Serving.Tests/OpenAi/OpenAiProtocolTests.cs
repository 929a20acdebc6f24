using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;
using Silica.Serving.Metrics;

namespace Silica.Serving.Tests.OpenAi;

/// <summary>
/// The OpenAI front end's framing and error mapping on a real Kestrel, over <see cref="ScriptedEngine"/>. What the
/// real engine generates is checked in the functional tests.
/// </summary>
public sealed class OpenAiProtocolTests : IAsyncLifetime
{
    private readonly ScriptedEngine _engine = new();
    private OpenAiTestHost _host = null!;

    public async Task InitializeAsync() => _host = await OpenAiTestHost.StartAsync([_engine]);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private const string Hi = """{"model":"scripted","messages":[{"role":"user","content":"hi there"}],"max_tokens":3}""";

    [Fact]
    public async Task Chat_NotStreamed_ReturnsChatCompletionWithUsage()
    {
        using var response = await _host.PostAsync("/v1/chat/completions", Hi);

        Assert.Equal(200, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = doc.RootElement;
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.StartsWith("chatcmpl-", root.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("scripted", root.GetProperty("model").GetString());
        var choice = root.GetProperty("choices").EnumerateArray().Single();
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        Assert.Equal("Hello world,", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("length", choice.GetProperty("finish_reason").GetString());
        var usage = root.GetProperty("usage");
        // The template "User: hi there\n\nAssistant:" is 4 words for the word tokenizer.
        Assert.Equal(4, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(3, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(7, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(3, _engine.LastRequest!.Sampling.MaxTokens);
    }

    [Fact]
    public async Task Chat_Streamed_SendsSseChunksThenUsageThenDone()
    {
        using var response = await _host.PostAsync("/v1/chat/completions",
            """{"model":"scripted","messages":[{"role":"system","content":"be brief"},{"role":"user","content":[{"type":"text","text":"hi"}]}],"max_completion_tokens":4,"stream":true,"stream_options":{"include_usage":true}}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        var events = OpenAiTestHost.Events(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        Assert.Single(chunks.Select(c => c.GetProperty("id").GetString()).Distinct());
        Assert.Equal("assistant", chunks[0].GetProperty("choices")[0].GetProperty("delta").GetProperty("role").GetString());
        var content = string.Concat(chunks.Where(c => c.GetProperty("choices").GetArrayLength() == 1)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta")).Where(d => d.TryGetProperty("content", out _)).Select(d => d.GetProperty("content").GetString()));
        Assert.Equal("Hello world, how", content);
        var finish = chunks[^2].GetProperty("choices")[0];
        Assert.Equal("length", finish.GetProperty("finish_reason").GetString());
        var usageChunk = chunks[^1];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        Assert.Equal(4, usageChunk.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.All(chunks[..^1], c => Assert.Equal(JsonValueKind.Null, c.GetProperty("usage").ValueKind));
        Assert.Equal(4, _engine.LastRequest!.Sampling.MaxTokens);
    }

    [Fact]
    public async Task Completions_StreamedWithoutUsage_SendsTextChunksEndingWithStop()
    {
        _engine.EndAfter = 1;
        using var response = await _host.PostAsync("/v1/completions",
            """{"model":"scripted","prompt":"once upon a time","max_tokens":10,"stream":true,"stop":["\n"],"seed":7,"temperature":0.5,"top_p":0.9}""");

        var events = OpenAiTestHost.Events(await response.Content.ReadAsStringAsync());
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events[..^1].Select(e => JsonDocument.Parse(e).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("text_completion", c.GetProperty("object").GetString()));
        Assert.All(chunks, c => Assert.False(c.TryGetProperty("usage", out _)));
        Assert.Equal("Hello world", string.Concat(chunks.Select(c => c.GetProperty("choices")[0].GetProperty("text").GetString())));
        Assert.Equal("stop", chunks[^1].GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        var sampling = _engine.LastRequest!.Sampling;
        Assert.Equal((7L, 0.5f, 0.9f, "\n"), (sampling.Seed!.Value, sampling.Temperature, sampling.TopP, sampling.Stop!.Single()));
    }

    [Fact]
    public async Task Completions_NoMaxTokens_DefaultsToTheRestOfTheContext()
    {
        using var response = await _host.PostAsync("/v1/completions", """{"model":"scripted","prompt":["a b c d"]}""");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(64 - 4, _engine.LastRequest!.Sampling.MaxTokens);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("text_completion", doc.RootElement.GetProperty("object").GetString());
        Assert.Equal(60, doc.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Theory]
    [InlineData("""{"model":"scripted","messages":[{"role":"user","content":"hi"}],"n":2}""", "n", "n must be 1")]
    [InlineData("""{"model":"scripted","messages":[{"role":"user","content":"hi"}],"temperature":3}""", "temperature", "temperature must be between 0 and 2")]
    [InlineData("""{"model":"scripted","messages":[{"role":"user","content":"hi"}],"top_p":0}""", "top_p", "top_p")]
    [InlineData("""{"model":"scripted","messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", "max_tokens", "at least 1")]
    [InlineData("""{"model":"scripted","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":-3}""", "max_completion_tokens", "at least 1")]
    [InlineData("""{"model":"scripted","messages":[{"role":"user","content":"hi"}],"stop":["a","b","c","d","e"]}""", "stop", "at most 4 stop")]
    [InlineData("""{"model":"scripted","messages":[{"role":"user","content":"hi"}],"stop":5}""", "stop", "stop must be")]
    [InlineData("""{"model":"scripted","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", "temperature", "must be a number")]
    [InlineData("""{"model":"scripted","messages":[]}""", "messages", "at least one")]
    [InlineData("""{"model":"scripted"}""", "messages", "messages is required")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}]}""", "model", "model is required")]
    [InlineData("""{"model":"scripted","messages":[{"role":"wizard","content":"hi"}]}""", "messages[0].role", "wizard")]
    [InlineData("""{"model":"scripted","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", "messages[0].content", "only text parts")]
    [InlineData("""{"model":"scripted","messages":[{"role":"user","content":"hi"}],"logprobs":true}""", "logprobs", "not supported")]
    [InlineData("""{"model":"scripted","messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true}}""", "stream_options", "only allowed when stream")]
    [InlineData("""{"model":"scripted","messages":[{"role":"user","content":"hi"}],"max_tokens":62}""", "max_tokens", "maximum context length is 64 tokens")]
    [InlineData("""{"model":"scripted","messages":[{"role":"user","content":"hi"}] """, null, "malformed JSON")]
    [InlineData("""[1,2]""", null, "JSON object")]
    public async Task Chat_BadRequest_Answers400NamingTheFieldAndKeepsServing(string body, string? param, string fragment)
    {
        using var response = await _host.PostAsync("/v1/chat/completions", body);

        var error = await OpenAiTestHost.AssertErrorAsync(response, 400, param, fragment);
        Assert.Equal("invalid_request_error", error.GetProperty("type").GetString());
        await AssertServesAsync();
    }

    [Fact]
    public async Task Completions_PromptOverTheContextLength_Answers400NamingTheLimit()
    {
        var prompt = string.Join(" ", Enumerable.Repeat("word", 70));

        using var response = await _host.PostAsync("/v1/completions", $$"""{"model":"scripted","prompt":"{{prompt}}","max_tokens":1}""");

        var error = await OpenAiTestHost.AssertErrorAsync(response, 400, "prompt", "maximum context length is 64 tokens", "70 tokens");
        Assert.Equal("context_length_exceeded", error.GetProperty("code").GetString());
        await AssertServesAsync();
    }

    [Fact]
    public async Task Chat_UnknownModel_Answers404WithModelNotFound()
    {
        using var response = await _host.PostAsync("/v1/chat/completions", """{"model":"gpt-9","messages":[{"role":"user","content":"hi"}]}""");

        var error = await OpenAiTestHost.AssertErrorAsync(response, 404, "model", "gpt-9", "scripted");
        Assert.Equal("model_not_found", error.GetProperty("code").GetString());
        await AssertServesAsync();
    }

    [Fact]
    public async Task Chat_QueueFull_Answers429WithRetryAfter()
    {
        _engine.QueueFull = true;

        using var response = await _host.PostAsync("/v1/chat/completions", Hi);

        var error = await OpenAiTestHost.AssertErrorAsync(response, 429, null, "queue is full");
        Assert.Equal("rate_limit_error", error.GetProperty("type").GetString());
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter!.Delta);
        _engine.QueueFull = false;
        await AssertServesAsync();
    }

    [Fact]
    public async Task Chat_ClientDisconnectsMidStream_CancelsTheSequence()
    {
        _engine.HoldAfter = 2;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"scripted","messages":[{"role":"user","content":"hi"}],"max_tokens":50,"stream":true}""", new MediaTypeHeaderValue("application/json")),
        };
        // Its own client that drains nothing, so disposing the response closes the connection at once (the shared
        // client would read on for up to 2 s to keep the connection for reuse).
        using var leaving = new HttpClient(new SocketsHttpHandler { MaxResponseDrainSize = 0 }) { BaseAddress = _host.Client.BaseAddress };
        var response = await leaving.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[256];
        Assert.True(await stream.ReadAsync(buffer) > 0);
        Assert.Equal(1, _engine.Stats.Running);

        response.Dispose(); // closes the connection mid-stream

        var deadline = Stopwatch.StartNew();
        while ((_engine.Cancelled == 0 || _engine.Stats.KvBlocksUsed != 0) && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            await Task.Delay(20);
        }
        Assert.Equal(1, _engine.Cancelled);
        Assert.Equal(0, _engine.Stats.KvBlocksUsed);
        Assert.Equal(0, _engine.Stats.Running);
        _engine.HoldAfter = null;
        await AssertServesAsync();
        // The endpoint counts the abort as the cancellation unwinds it, which can trail the engine's own bookkeeping.
        const string Aborted = "silica_generation_requests_total{model=\"scripted\",finished_reason=\"abort\"} 1";
        var metrics = await _host.Client.GetStringAsync("/metrics");
        deadline.Restart();
        while (!metrics.Contains(Aborted, StringComparison.Ordinal) && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
            metrics = await _host.Client.GetStringAsync("/metrics");
        }
        Assert.Contains(Aborted, metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_AfterRequests_ExposeLatencyHistogramsTokenCountersAndEngineGauges()
    {
        await AssertServesAsync();
        using (var s = await _host.PostAsync("/v1/completions", """{"model":"scripted","prompt":"a b","max_tokens":5,"stream":true}"""))
        {
            await s.Content.ReadAsStringAsync();
        }

        var metrics = await _host.Client.GetStringAsync("/metrics");

        Assert.Contains("silica_time_to_first_token_seconds_count{model=\"scripted\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("silica_time_per_output_token_seconds_count{model=\"scripted\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("silica_e2e_request_latency_seconds_count{model=\"scripted\"} 2", metrics, StringComparison.Ordinal);
        // 3 tokens then 5: 2 + 4 gaps.
        Assert.Contains("silica_inter_token_latency_seconds_count{model=\"scripted\"} 6", metrics, StringComparison.Ordinal);
        Assert.Contains("silica_generation_tokens_total{model=\"scripted\"} 8", metrics, StringComparison.Ordinal);
        Assert.Contains("silica_prompt_tokens_total{model=\"scripted\"} 6", metrics, StringComparison.Ordinal);
        Assert.Contains("silica_generation_requests_total{model=\"scripted\",finished_reason=\"length\"} 2", metrics, StringComparison.Ordinal);
        Assert.Contains("silica_kv_cache_usage_perc{model=\"scripted\"} 0", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE silica_num_requests_running gauge", metrics, StringComparison.Ordinal);
        Assert.Contains("silica_num_requests_waiting{model=\"scripted\"} 0", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_WithAListener_TracesGenAiAttributes()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ServingTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a =>
            {
                lock (activities)
                {
                    activities.Add(a);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);

        using var response = await _host.PostAsync("/v1/chat/completions", Hi);
        await response.Content.ReadAsStringAsync();

        // The server stops the activity after the response's last byte is sent, so the client can finish first.
        Activity? chat = null;
        await Hosting.ModelServerTests.WaitUntil(() =>
        {
            lock (activities)
            {
                return (chat = activities.SingleOrDefault(a => a.DisplayName == "chat scripted")) is not null;
            }
        });
        Assert.NotNull(chat);
        Assert.Equal("chat", chat.GetTagItem(GenAiTelemetry.OperationName));
        Assert.Equal("scripted", chat.GetTagItem(GenAiTelemetry.RequestModel));
        Assert.Equal(4, chat.GetTagItem(GenAiTelemetry.UsageInputTokens));
        Assert.Equal(3, chat.GetTagItem(GenAiTelemetry.UsageOutputTokens));
        Assert.Equal(["length"], (string[])chat.GetTagItem(GenAiTelemetry.ResponseFinishReasons)!);
        Assert.Equal(3, chat.GetTagItem(GenAiTelemetry.RequestMaxTokens));
    }

    [Fact]
    public async Task Models_ListsTheGenerationModel()
    {
        using var doc = JsonDocument.Parse(await _host.Client.GetStringAsync("/v1/models"));

        Assert.Equal("list", doc.RootElement.GetProperty("object").GetString());
        var model = doc.RootElement.GetProperty("data").EnumerateArray().Single();
        Assert.Equal(("scripted", "model"), (model.GetProperty("id").GetString(), model.GetProperty("object").GetString()));
        using var one = await _host.Client.GetAsync("/v1/models/nope");
        await OpenAiTestHost.AssertErrorAsync(one, 404, "model", "nope");
    }

    [Fact]
    public async Task UnknownV1Route_Answers404InOpenAiShape()
    {
        using var response = await _host.PostAsync("/v1/images/generations", "{}");

        await OpenAiTestHost.AssertErrorAsync(response, 404, null, "/v1/images/generations");
    }

    private async Task AssertServesAsync()
    {
        using var response = await _host.PostAsync("/v1/chat/completions", Hi);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"a good request after the fault got {(int)response.StatusCode}: {text}");
        using var doc = JsonDocument.Parse(text);
        Assert.Equal("Hello world,", doc.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
    }
}
