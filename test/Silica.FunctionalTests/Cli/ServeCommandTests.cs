using System.Diagnostics;
using System.Text.Json;

namespace Silica.FunctionalTests.Cli;

public sealed class ServeCommandTests
{
    [Fact]
    public async Task Serve_ZooModelOnPort0_PrintsUrlAnswersReadyAndDrainsOnSigterm()
    {
        using var process = ServeProcess.Start("serve", "zoo:mlp", "--http-port", "0", "--log-level", "warning");
        try
        {
            var rest = await ServeProcess.ReadUrlAsync(process, "REST");
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

            using var ready = await client.GetAsync(rest + "/health/ready");
            Assert.Equal(200, (int)ready.StatusCode);
            Assert.Equal("""{"ready":true}""", await ready.Content.ReadAsStringAsync());
            var data = string.Join(",", Enumerable.Range(0, 784).Select(i => (i % 7 * 0.25).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            using var infer = await client.PostAsync(rest + "/models/mlp/infer",
                new StringContent($$"""{"inputs":[{"name":"input","shape":[1,784],"datatype":"FP32","data":[{{data}}]}]}"""));
            Assert.Equal(200, (int)infer.StatusCode);
            using var doc = JsonDocument.Parse(await infer.Content.ReadAsStringAsync());
            Assert.Equal(10, doc.RootElement.GetProperty("outputs")[0].GetProperty("data").GetArrayLength());

            await ServeProcess.SigtermAsync(process);
            await ServeProcess.AssertExitsCleanlyAsync(process);
        }
        finally
        {
            ServeProcess.KillIfRunning(process);
        }
    }

    [Fact]
    public async Task Serve_Repository_ProbesEachModelInAChildProcess_ABadOneFailsAloneWithItsReason()
    {
        var root = Directory.CreateTempSubdirectory("silica-repo-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "good", "1"));
            Directory.CreateDirectory(Path.Combine(root.FullName, "bad", "1"));
            Silica.Onnx.Zoo.ModelZoo.Build("mlp").Save(Path.Combine(root.FullName, "good", "1", "model.onnx"));
            // Parses as ONNX and passes the backend's static checks, but ONNX Runtime refuses it at load (a Relu with
            // two inputs): the probe process fails on it, the server marks it FAILED with that reason, the other serves.
            var evil = Silica.Onnx.Zoo.ModelZoo.Build("mlp");
            var node = evil.Graph.Nodes[0];
            evil.Graph.AddNode("Relu", [node.Inputs[0], node.Inputs[0]], ["twice"], name: "relu_with_two_inputs");
            evil.Save(Path.Combine(root.FullName, "bad", "1", "model.onnx"));

            using var process = ServeProcess.Start("serve", "--repository", root.FullName, "--http-port", "0", "--log-level", "none");
            try
            {
                var rest = await ServeProcess.ReadUrlAsync(process, "REST");
                using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                using var good = await client.GetAsync(rest + "/models/good/ready");
                Assert.Equal(200, (int)good.StatusCode);
                using var index = await client.PostAsync(rest + "/repository/index", new StringContent("{}"));
                var text = await index.Content.ReadAsStringAsync();
                using var doc = JsonDocument.Parse(text);
                var bad = doc.RootElement.EnumerateArray().Single(e => e.GetProperty("name").GetString() == "bad");
                Assert.Equal("FAILED", bad.GetProperty("state").GetString());
                var reason = bad.GetProperty("reason").GetString();
                Assert.Contains("relu_with_two_inputs", reason, StringComparison.Ordinal);
                Assert.StartsWith("model 'bad': cannot load model", reason, StringComparison.Ordinal); // the probe child's one line, passed on
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
    public async Task Serve_Sigterm_WithARequestInFlight_ReadinessFalseFirst_ThenTheRequestFinishes_ThenExit0()
    {
        // RELIABILITY row 35 with a request in flight: the model's batcher holds a lone request for its 3 s queue
        // delay, longer than System.CommandLine's default 2 s grace on SIGTERM, so a cut-short drain would show.
        var root = Directory.CreateTempSubdirectory("silica-drain-");
        try
        {
            Directory.CreateDirectory(Path.Combine(root.FullName, "mlp", "1"));
            Silica.Onnx.Zoo.ModelZoo.Build("mlp").Save(Path.Combine(root.FullName, "mlp", "1", "model.onnx"));
            File.WriteAllText(Path.Combine(root.FullName, "mlp", "config.json"),
                """{"max_batch_size": 8, "max_queue_delay_microseconds": 3000000}""");
            using var process = ServeProcess.Start("serve", "--repository", root.FullName, "--http-port", "0", "--log-level", "none", "--drain-delay", "1s");
            try
            {
                var rest = await ServeProcess.ReadUrlAsync(process, "REST");
                using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                var data = string.Join(",", Enumerable.Repeat("0.5", 784));
                var clock = Stopwatch.StartNew();
                var inFlight = client.PostAsync(rest + "/models/mlp/infer",
                    new StringContent($$"""{"inputs":[{"name":"input","shape":[1,784],"datatype":"FP32","data":[{{data}}]}]}"""));
                // SIGTERM only once the server holds the request in its batcher: a fixed pause could end before a
                // starved runner had sent it, and the draining server would then refuse it.
                var metrics = rest[..^"/v2".Length] + "/metrics";
                while (!(await client.GetStringAsync(metrics)).Contains("silica_pending_requests{model=\"mlp\",version=\"1\"} 1", StringComparison.Ordinal))
                {
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the server never held the request");
                    await Task.Delay(20);
                }
                Assert.False(inFlight.IsCompleted);

                await ServeProcess.SigtermAsync(process);
                // Readiness turns false while the request is still held (a load balancer stops sending new work).
                var sawNotReady = false;
                while (!inFlight.IsCompleted && !sawNotReady)
                {
                    try
                    {
                        using var ready = await client.GetAsync(rest + "/health/ready");
                        sawNotReady = (int)ready.StatusCode == 503;
                    }
                    catch (HttpRequestException)
                    {
                        break; // listener already closed: the check below fails with the reason
                    }
                    await Task.Delay(50);
                }
                Assert.True(sawNotReady, "readiness never answered 503 while a request was in flight");

                using var response = await inFlight;
                Assert.Equal(200, (int)response.StatusCode);
                Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(2.5), $"the request finished after {clock.Elapsed}, before its queue delay");
                await ServeProcess.AssertExitsCleanlyAsync(process);
            }
            finally
            {
                ServeProcess.KillIfRunning(process);
            }
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("serve", "zoo:mlp", "--http-port", "abc")]
    [InlineData("serve", "zoo:mlp", "--threads", "-1")]
    [InlineData("serve", "zoo:mlp", "--batching", "max=0")]
    [InlineData("serve", "zoo:mlp", "--max-body", "lots")]
    [InlineData("serve", "zoo:mlp", "--allow-model-control")]
    [InlineData("serve", "zoo:mlp", "--host", "not-an-ip")]
    [InlineData("serve", "zoo:mlp", "--otlp-endpoint", "collector:4318")]
    [InlineData("serve", "zoo:nosuchmodel")]
    [InlineData("serve", "/nonexistent/model.onnx")]
    [InlineData("serve")]
    [InlineData("serve", "zoo:mlp", "--repository", "/tmp")]
    public async Task Serve_BadFlag_OneLineErrorExit2(params string[] args) =>
        CliRunner.AssertOneLineError(await CliRunner.RunAsync(args));
}
