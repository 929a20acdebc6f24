using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Silica.Serving.Metrics;
using Silica.Serving.Repository;

namespace Silica.Serving.Tests.Http;

/// <summary>RELIABILITY rows that need their own server settings: keys (34), storms (20), slow clients (18), ports.</summary>
public sealed class RestHardeningTests
{
    private const string Infer = "/v2/models/mlp/infer";

    // Row 34
    [Fact]
    public async Task ApiKeys_InferenceAndAdminRolesEnforced()
    {
        await using var rest = await RestServer.StartAsync(new ServerHostOptions { ApiKey = "inference-key", AdminKey = "admin-key", AllowModelControl = true });
        var body = RestServer.JsonBody(RestServer.Input(1), 1);

        using (var none = await rest.PostJsonAsync(Infer, body))
        {
            await RestServer.AssertErrorAsync(none, 401, "API key is required");
            Assert.Equal("Bearer", none.Headers.WwwAuthenticate.Single().Scheme);
        }
        using (var wrong = await Send(rest, HttpMethod.Post, Infer, body, bearer: "inference-kez"))
        {
            await RestServer.AssertErrorAsync(wrong, 401, "not valid");
        }
        using (var bearer = await Send(rest, HttpMethod.Post, Infer, body, bearer: "inference-key"))
        {
            Assert.Equal(200, (int)bearer.StatusCode);
        }
        using (var header = await Send(rest, HttpMethod.Post, Infer, body, apiKey: "inference-key"))
        {
            Assert.Equal(200, (int)header.StatusCode);
        }
        using (var adminWithInferenceKey = await Send(rest, HttpMethod.Post, "/v2/repository/models/mlp/unload", null, bearer: "inference-key"))
        {
            await RestServer.AssertErrorAsync(adminWithInferenceKey, 403, "admin key");
        }
        using (var unload = await Send(rest, HttpMethod.Post, "/v2/repository/models/mlp/unload", null, apiKey: "admin-key"))
        {
            Assert.Equal(200, (int)unload.StatusCode);
        }
        using (var load = await Send(rest, HttpMethod.Post, "/v2/repository/models/mlp/load", null, bearer: "admin-key"))
        {
            Assert.Equal(200, (int)load.StatusCode);
        }
        using (var health = await rest.Client.GetAsync("/v2/health/ready"))
        {
            Assert.Equal(200, (int)health.StatusCode);
        }
        using var good = await Send(rest, HttpMethod.Post, Infer, RestServer.JsonBody(RestServer.Input(2, 3), 2), bearer: "admin-key");
        Assert.Equal(rest.Expected(RestServer.Input(2, 3), 2), RestServer.OutputData(await good.Content.ReadAsStringAsync()));
    }

    [Fact]
    public void ModelControl_WithoutAdminKey_Refused() =>
        Assert.Throws<ArgumentException>(() => new ServerHostOptions { AllowModelControl = true }.Validate());

    // Row 20
    [Fact]
    public async Task Storm_PastQueueCapacity_429WithRetryAfterAndGoodRequestsCorrect()
    {
        // A one-row request waits up to 2 s in the queue for company to fill a batch of 4 and so holds the queue's only
        // slot: the storm behind it finds the queue full whatever the machine's speed. (A busy-instance setup depended on
        // requests arriving together, and a starved 2-core runner parses them one at a time.)
        await using var rest = await RestServer.StartModelServerAsync(config: new ModelConfig
        {
            MaxBatchSize = 4,
            MaxQueueSize = 1,
            MaxQueueDelayMicroseconds = 2_000_000,
            InstanceCount = 1,
        });
        var stats = rest.Stats;
        var x = RestServer.Input(1, 11);
        var body = RestServer.JsonBody(x, 1);
        var first = rest.PostJsonAsync(Infer, body);
        await Hosting.ModelServerTests.WaitUntil(() => stats.Pending == 1);

        var storm = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => rest.PostJsonAsync(Infer, body)));
        foreach (var r in storm)
        {
            await RestServer.AssertErrorAsync(r, 429, "queue is full");
            var retryAfter = r.Headers.RetryAfter?.Delta;
            Assert.NotNull(retryAfter);
            Assert.True(retryAfter >= TimeSpan.FromSeconds(1), $"Retry-After {retryAfter}");
            r.Dispose();
        }
        Assert.Equal(32, stats.Failures(FailureReason.QueueFull));

        // The admitted request is served, correctly, once its batching delay ends; the server then serves a full batch.
        using var admitted = await first;
        var text = await admitted.Content.ReadAsStringAsync();
        Assert.True(admitted.IsSuccessStatusCode, $"{(int)admitted.StatusCode}: {text}");
        Assert.Equal(rest.Expected(x, 1), RestServer.OutputData(text));
        await rest.AssertServesAsync(rows: 4);
    }

    // Row 20, connections: an open-loop storm opens a socket per late request; past the cap new connections are
    // closed at once so descriptors never run out, and connected clients keep being served.
    [Fact]
    public async Task ConnectionStorm_PastTheCap_NewConnectionsClosedConnectedOnesServed()
    {
        await using var rest = await RestServer.StartAsync(new ServerHostOptions { MaxConnections = 3 });
        await rest.AssertServesAsync(); // the test client's keep-alive connection: 1 of 3
        var address = rest.Host.HttpAddress;
        var held = new List<TcpClient>();
        try
        {
            for (var i = 0; i < 2; i++)
            {
                var c = new TcpClient();
                await c.ConnectAsync(address.Host, address.Port);
                await c.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n"));
                Assert.StartsWith("HTTP/1.1 200", await ReadAnswerAsync(c), StringComparison.Ordinal);
                held.Add(c); // kept alive: 2 and 3 of 3
            }

            using (var over = new TcpClient())
            {
                await over.ConnectAsync(address.Host, address.Port); // the kernel accepts; Kestrel then closes it
                await over.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n"));
                Assert.DoesNotContain("200", await ReadAnswerAsync(over), StringComparison.Ordinal);
            }
            await rest.AssertServesAsync();

            held[0].Dispose();
            held.RemoveAt(0);
            using var after = await WaitForFreeSlotAsync(address);
            Assert.NotNull(after);
        }
        finally
        {
            held.ForEach(c => c.Dispose());
        }
        await rest.AssertServesAsync();
    }

    // Up to 5 s for the server to notice a closed connection and count it out.
    private static async Task<TcpClient?> WaitForFreeSlotAsync(Uri address)
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            var c = new TcpClient();
            await c.ConnectAsync(address.Host, address.Port);
            await c.GetStream().WriteAsync(Encoding.ASCII.GetBytes("GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n"));
            if ((await ReadAnswerAsync(c)).StartsWith("HTTP/1.1 200", StringComparison.Ordinal))
            {
                return c;
            }
            c.Dispose();
            await Task.Delay(100);
        }
        Assert.Fail("no connection was served after one was closed");
        return null;
    }

    // The status line and headers of one answer, or what came before the server closed the connection ("" if nothing).
    private static async Task<string> ReadAnswerAsync(TcpClient client)
    {
        var stream = client.GetStream();
        var buffer = new byte[4096];
        var text = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            while (!text.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, timeout.Token);
                if (read == 0)
                {
                    break;
                }
                text.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
        }
        return text.ToString();
    }

    // Row 18
    [Fact]
    public async Task SlowLorisHeaders_ConnectionDroppedOthersServed()
    {
        await using var rest = await RestServer.StartAsync(new ServerHostOptions { RequestHeadersTimeout = TimeSpan.FromSeconds(1) });
        using var slow = new TcpClient();
        await slow.ConnectAsync(rest.Host.HttpAddress.Host, rest.Host.HttpAddress.Port);
        var stream = slow.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /v2/health/ready HTTP/1.1\r\nHost: x\r\nX-Slow: "));

        await rest.AssertServesAsync();
        var buffer = new byte[1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        int read;
        try
        {
            // Kestrel answers 408 (or just closes) once the header timeout passes; then the stream ends.
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
            }
        }
        catch (IOException)
        {
            read = 0;
        }
        Assert.Equal(0, read);
        await rest.AssertServesAsync();
    }

    [Fact]
    public async Task MetricsPort_ServesOnlyMetrics_RestPortRefusesMetrics()
    {
        await using var rest = await RestServer.StartAsync(new ServerHostOptions { MetricsPort = 0 });
        var metricsAddress = rest.Host.MetricsAddress!;
        using var metricsClient = new HttpClient { BaseAddress = metricsAddress };

        using (var metrics = await metricsClient.GetAsync("/metrics"))
        {
            Assert.Equal(200, (int)metrics.StatusCode);
            Assert.Contains("silica_test_requests_total", await metrics.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var infer = await metricsClient.PostAsync(Infer, new StringContent(RestServer.JsonBody(RestServer.Input(1), 1))))
        {
            await RestServer.AssertErrorAsync(infer, 404, "not served on this port");
        }
        using (var onRest = await rest.Client.GetAsync("/metrics"))
        {
            await RestServer.AssertErrorAsync(onRest, 404, "not served on this port");
        }
        Assert.NotEqual(rest.Host.HttpAddress.Port, metricsAddress.Port);
        await rest.AssertServesAsync();
    }

    private static Task<HttpResponseMessage> Send(RestServer rest, HttpMethod method, string path, string? json, string? bearer = null, string? apiKey = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }
        if (apiKey is not null)
        {
            request.Headers.Add("X-API-Key", apiKey);
        }
        return rest.Client.SendAsync(request);
    }
}
