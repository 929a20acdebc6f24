using System.ClientModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using Silica.FunctionalTests.Cli;

namespace Silica.FunctionalTests;

/// <summary>
/// <c>silica serve zoo:gpt2</c> as a user runs it: the OpenAI SDK (plain and streaming), a raw curl-like POST, and
/// <c>silica bench --llm --url</c> against it for a few seconds; then SIGTERM.
/// </summary>
public sealed class OpenAiServeCommandTests
{
    [Fact]
    public async Task ServeGpt2_AnswersSdkCurlAndBenchLlm_ThenDrainsOnSigterm()
    {
        using var process = ServeProcess.Start("serve", "zoo:gpt2", "--http-port", "0", "--log-level", "warning");
        var json = Path.Combine(Path.GetTempPath(), $"silica-bench-llm-{Guid.NewGuid():N}.json");
        try
        {
            var openAi = await ServeProcess.ReadUrlAsync(process, "OpenAI");
            var chat = new ChatClient("gpt2", new ApiKeyCredential("unused"), new OpenAIClientOptions { Endpoint = new Uri(openAi) });

            ChatCompletion plain = await chat.CompleteChatAsync([new UserChatMessage("Hello")], new ChatCompletionOptions { MaxOutputTokenCount = 4, Temperature = 0 });
            var streamed = new StringBuilder();
            await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Hello")], new ChatCompletionOptions { MaxOutputTokenCount = 4, Temperature = 0 }))
            {
                foreach (var part in update.ContentUpdate)
                {
                    streamed.Append(part.Text);
                }
            }

            Assert.Equal(4, plain.Usage.OutputTokenCount);
            Assert.Equal(plain.Content.Single().Text, streamed.ToString());
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            using var curl = await http.PostAsync(openAi + "/completions",
                new StringContent("""{"model":"gpt2","prompt":"The capital of France is","max_tokens":3,"temperature":0}""", Encoding.UTF8, "application/json"));
            using (var doc = JsonDocument.Parse(await curl.Content.ReadAsStringAsync()))
            {
                Assert.Equal("text_completion", doc.RootElement.GetProperty("object").GetString());
                Assert.Equal(3, doc.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
            }

            var bench = await CliRunner.RunAsync("bench", "--llm", "--url", openAi, "--model", "gpt2", "--qps", "4", "--requests", "6",
                "--prompt-len", "uniform:4-12", "--output-len", "fixed:4", "--slo-ttft", "10s", "--slo-tpot", "2s", "--json", json);

            Assert.True(bench.ExitCode == 0, bench.StdErr + bench.StdOut);
            Assert.Contains("time to first token", bench.StdOut, StringComparison.Ordinal);
            using var report = JsonDocument.Parse(await File.ReadAllTextAsync(json));
            var results = report.RootElement.GetProperty("results");
            Assert.Equal("llm", report.RootElement.GetProperty("kind").GetString());
            Assert.Equal(6, results.GetProperty("completed").GetInt32());
            Assert.Equal(24, results.GetProperty("outputTokens").GetInt64());
            Assert.True(results.GetProperty("outputTokensPerSecond").GetDouble() > 0);
            Assert.Equal(6, results.GetProperty("timeToFirstToken").GetProperty("count").GetInt64());
            Assert.True(results.GetProperty("timePerOutputToken").GetProperty("p50Us").GetDouble() > 0);
            Assert.True(results.GetProperty("goodputRequestsPerSecond").GetDouble() > 0);

            await ServeProcess.SigtermAsync(process);
            await ServeProcess.AssertExitsCleanlyAsync(process);
        }
        finally
        {
            File.Delete(json);
            ServeProcess.KillIfRunning(process);
        }
    }

    [Fact]
    public async Task ServeRepository_DecoderBesideAnMlp_GeneratesOverOpenAiAndInfersOverOip()
    {
        var root = Directory.CreateTempSubdirectory("silica-llm-repo-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "tiny", "1"));
            Directory.CreateDirectory(Path.Combine(root.FullName, "mlp", "1"));
            File.Copy(Silica.Onnx.Zoo.ModelZoo.GetOrCreateFile("llama-tiny"), Path.Combine(root.FullName, "tiny", "1", "model.onnx"));
            Silica.Onnx.Zoo.ModelZoo.Build("mlp").Save(Path.Combine(root.FullName, "mlp", "1", "model.onnx"));
            using var process = ServeProcess.Start("serve", "--repository", root.FullName, "--http-port", "0", "--log-level", "none");
            try
            {
                var openAi = await ServeProcess.ReadUrlAsync(process, "OpenAI");
                using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };

                using var completion = await http.PostAsync(openAi + "/completions",
                    new StringContent("""{"model":"tiny","prompt":"Hello","max_tokens":3}""", Encoding.UTF8, "application/json"));
                using var models = JsonDocument.Parse(await http.GetStringAsync(openAi + "/models"));

                var text = await completion.Content.ReadAsStringAsync();
                Assert.True(completion.IsSuccessStatusCode, text);
                using var doc = JsonDocument.Parse(text);
                Assert.Equal(3, doc.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
                Assert.Contains("tiny", models.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
                using var ready = await http.GetAsync(openAi[..^"/v1".Length] + "/v2/models/mlp/ready");
                Assert.Equal(200, (int)ready.StatusCode);
            }
            finally
            {
                process.Kill(entireProcessTree: true);
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task BenchLlmUrl_UnreachableServer_OneLineError()
    {
        var r = await CliRunner.RunAsync("bench", "--llm", "--url", "http://127.0.0.1:9", "--model", "gpt2", "--requests", "1");

        CliRunner.AssertOneLineError(r);
        Assert.Contains("warm-up request", r.StdErr, StringComparison.Ordinal);
    }
}
