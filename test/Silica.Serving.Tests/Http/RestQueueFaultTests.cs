using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Silica.Serving.Hosting;
using Silica.Serving.Metrics;
using Silica.Serving.Repository;

namespace Silica.Serving.Tests.Http;

/// <summary>
/// RELIABILITY rows about a request's life in the queue and on the wire, on a real Kestrel over the real
/// <see cref="ModelServer"/>: a body in very many tiny chunks (16), a request older than its queue timeout (21) and a
/// client that goes away while its request waits (22). Each checks the counters, then that a good request still works.
/// </summary>
public sealed class RestQueueFaultTests
{
    private const string Infer = "/v2/models/mlp/infer";

    // Row 16
    [Fact]
    public async Task ManyTinyChunks_BodyReadWithinItsLimit_AnswerCorrect_OversizeStill413()
    {
        await using var rest = await RestServer.StartModelServerAsync(new ServerHostOptions { MaxRequestBodyBytes = 64 << 10 });
        var x = RestServer.Input(2, seed: 5);
        var body = Encoding.UTF8.GetBytes(RestServer.JsonBody(x, 2));

        // One byte per chunk: Kestrel's chunked decoder and Silica's pooled body reader see thousands of reads.
        var (status, text) = await SendChunkedAsync(rest, body, chunk: 1);
        Assert.True(status == 200, $"expected 200, got {status}: {text}");
        Assert.Equal(rest.Expected(x, 2), RestServer.OutputData(text[text.IndexOf('{', StringComparison.Ordinal)..]));

        // The limit counts decoded bytes however they are chunked, so memory stays bounded by it.
        var (over, overText) = await SendChunkedAsync(rest, new byte[(64 << 10) + 4096], chunk: 7);
        Assert.True(over == 413, $"expected 413, got {over}: {overText}");
        await rest.AssertServesAsync();
    }

    // Row 21
    [Fact]
    public async Task OlderThanQueueTimeout_503_NeverExecuted()
    {
        // Requests short of a full batch wait up to 10 s for company, but only 50 ms may pass in the queue: they time
        // out there whatever the machine's speed. (A busy-instance setup depended on requests arriving together, and a
        // starved 2-core CI runner parsed them one at a time, so none ever waited.)
        await using var rest = await RestServer.StartModelServerAsync(config: new ModelConfig
        {
            MaxBatchSize = 4,
            MaxQueueDelayMicroseconds = 10_000_000,
            QueueTimeoutMicroseconds = 50_000,
            InstanceCount = 1,
        });
        var body = RestServer.JsonBody(RestServer.Input(1, 3), 1);
        var stats = rest.Stats;

        // Three one-row requests together: fewer rows than a batch, so all three wait and all three time out.
        var clock = Stopwatch.StartNew();
        var responses = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => rest.PostJsonAsync(Infer, body)));
        var waited = clock.Elapsed;
        foreach (var r in responses)
        {
            await RestServer.AssertErrorAsync(r, 503, "queue");
            r.Dispose();
        }
        // Rejected at the queue timeout, not held to the end of the batching delay.
        Assert.True(waited < TimeSpan.FromSeconds(5), $"503s took {waited.TotalSeconds:F1} s");
        Assert.Equal(3, stats.Failures(FailureReason.QueueTimeout));
        // A timed-out request never reaches the model.
        Assert.Equal(0, stats.Executions);
        Assert.Equal(0, stats.Pending);

        // A full batch dispatches at once and is served.
        await rest.AssertServesAsync(rows: 4);
        Assert.Equal(1, stats.Executions);
    }

    // Row 22
    [Fact]
    public async Task ClientGoneWhileQueued_RemovedFromQueue_NeverExecuted_SlotFreed()
    {
        // A lone request waits up to 2 s in the batcher for company: time for the client to give up.
        await using var rest = await RestServer.StartModelServerAsync(config: new ModelConfig
        {
            MaxBatchSize = 8,
            MaxQueueDelayMicroseconds = 2_000_000,
            MaxQueueSize = 4,
            InstanceCount = 1,
        });
        var stats = rest.Stats;
        using (var gone = new CancellationTokenSource())
        {
            var request = new HttpRequestMessage(HttpMethod.Post, Infer) { Content = new StringContent(RestServer.JsonBody(RestServer.Input(1, 4), 1)) };
            var sent = rest.Client.SendAsync(request, gone.Token);
            // The client gives up once the server holds the request (a fixed 200 ms could fire before it arrived).
            await Hosting.ModelServerTests.WaitUntil(() => stats.Pending == 1);
            await gone.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sent);
        }
        await Hosting.ModelServerTests.WaitUntil(() => stats.Failures(FailureReason.Canceled) == 1 && stats.InFlight == 0 && stats.Pending == 0);
        Assert.Equal(0, stats.Executions);

        // The queue slot is free again: a full queue's worth of requests is admitted (none gets 429) and answered.
        var x = RestServer.Input(1, 6);
        var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => rest.PostJsonAsync(Infer, RestServer.JsonBody(x, 1))));
        foreach (var a in answers)
        {
            var text = await a.Content.ReadAsStringAsync();
            Assert.True(a.IsSuccessStatusCode, $"{(int)a.StatusCode}: {text}");
            Assert.Equal(rest.Expected(x, 1), RestServer.OutputData(text));
            a.Dispose();
        }
        Assert.Equal(1, stats.Failures(FailureReason.Canceled));
    }

    /// <summary>Sends <paramref name="body"/> over a raw socket in HTTP/1.1 chunks of <paramref name="chunk"/> bytes.</summary>
    private static async Task<(int Status, string Text)> SendChunkedAsync(RestServer rest, byte[] body, int chunk)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(rest.Host.HttpAddress.Host, rest.Host.HttpAddress.Port);
        var stream = tcp.GetStream();
        using var wire = new MemoryStream();
        wire.Write(Encoding.ASCII.GetBytes($"POST {Infer} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"));
        for (var i = 0; i < body.Length; i += chunk)
        {
            var n = Math.Min(chunk, body.Length - i);
            wire.Write(Encoding.ASCII.GetBytes($"{n:x}\r\n"));
            wire.Write(body, i, n);
            wire.Write("\r\n"u8);
        }
        wire.Write("0\r\n\r\n"u8);
        try
        {
            await stream.WriteAsync(wire.ToArray());
        }
        catch (IOException)
        {
            // The server may answer 413 and close before reading the rest of an oversized body.
        }
        using var reader = new StreamReader(stream, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var response = await reader.ReadToEndAsync(timeout.Token);
        var status = int.Parse(response.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture);
        var split = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (status, split < 0 ? "" : response[(split + 4)..]);
    }
}
