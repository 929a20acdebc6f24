using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Silica.Runtime.Tensors;

namespace Silica.Benchmarking.Remote;

/// <summary>
/// The OIP v2 REST protocol over one pooled <see cref="HttpClient"/> (HTTP/1.1 keep-alive), with JSON tensors or
/// the binary tensor extension. Bodies are encoded once per batch size; a request only copies them to the socket.
/// </summary>
internal sealed class HttpInferenceTransport : IInferenceTransport
{
    private const string HeaderLengthHeader = "Inference-Header-Content-Length";
    private static readonly MediaTypeHeaderValue JsonType = new("application/json");
    private static readonly MediaTypeHeaderValue OctetType = new("application/octet-stream");

    private readonly HttpClient _client;
    private readonly string _model;
    private readonly Uri _inferUri;
    private readonly bool _binary;

    public HttpInferenceTransport(Uri baseAddress, string model, bool binary, int maxConnections)
    {
        _model = model;
        _binary = binary;
        var handler = new SocketsHttpHandler
        {
            // One connection per outstanding request, kept alive for the whole run, up to a bound: an open-loop
            // rate far past the server's capacity would otherwise open a socket per late request until the
            // process's descriptors run out (the runtime then aborts). Requests past the bound wait here for a
            // connection, and that wait counts in their latency, which runs from the scheduled issue time.
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = maxConnections,
            UseCookies = false,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _inferUri = new Uri($"v2/models/{Uri.EscapeDataString(model)}/infer", UriKind.Relative);
    }

    public async Task<RemoteModelMetadata> GetMetadataAsync(CancellationToken cancellationToken)
    {
        using var response = await Send(() => _client.GetAsync(new Uri($"v2/models/{Uri.EscapeDataString(_model)}", UriKind.Relative), cancellationToken)).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response.StatusCode, body);
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            return new RemoteModelMetadata(
                root.GetProperty("name").GetString() ?? _model,
                root.TryGetProperty("versions", out var v) ? [.. v.EnumerateArray().Select(e => e.GetString() ?? "")] : [],
                root.TryGetProperty("platform", out var p) ? p.GetString() ?? "" : "",
                Tensors(root, "inputs"),
                Tensors(root, "outputs"));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new RemoteInferenceException($"the server's metadata for '{_model}' is not OIP v2 model metadata: {e.Message}");
        }
    }

    public object Prepare(IReadOnlyList<RemoteTensorMetadata> inputs, IReadOnlyList<Tensor> tensors)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartObject();
            if (_binary)
            {
                w.WriteStartObject("parameters");
                w.WriteBoolean("binary_data_output", true);
                w.WriteEndObject();
            }
            w.WriteStartArray("inputs");
            for (var i = 0; i < inputs.Count; i++)
            {
                var t = tensors[i];
                w.WriteStartObject();
                w.WriteString("name", inputs[i].Name);
                w.WriteString("datatype", inputs[i].Datatype);
                w.WriteStartArray("shape");
                foreach (var d in t.Shape)
                {
                    w.WriteNumberValue(d);
                }
                w.WriteEndArray();
                if (_binary)
                {
                    w.WriteStartObject("parameters");
                    w.WriteNumber("binary_data_size", t.ByteLength);
                    w.WriteEndObject();
                }
                else
                {
                    w.WritePropertyName("data");
                    JsonTensorData.Write(w, t);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        var header = stream.ToArray();
        if (!_binary)
        {
            return new PreparedBody(header, 0);
        }
        var body = new byte[header.Length + tensors.Sum(t => t.ByteLength)];
        header.CopyTo(body, 0);
        var offset = header.Length;
        foreach (var t in tensors)
        {
            t.Bytes.CopyTo(body.AsSpan(offset));
            offset += t.ByteLength;
        }
        return new PreparedBody(body, header.Length);
    }

    public async ValueTask InferAsync(object prepared, CancellationToken cancellationToken)
    {
        var body = (PreparedBody)prepared;
        using var content = new ByteArrayContent(body.Bytes);
        content.Headers.ContentType = body.HeaderLength > 0 ? OctetType : JsonType;
        if (body.HeaderLength > 0)
        {
            content.Headers.Add(HeaderLengthHeader, body.HeaderLengthText);
        }
        using var request = new HttpRequestMessage(HttpMethod.Post, _inferUri) { Content = content };
        using var response = await Send(() => _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken)).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw Failure(response.StatusCode, await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false));
        }
        // Read the whole answer: a response is only complete, for the latency, when its last byte arrived.
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await stream.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task<HttpResponseMessage> Send(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send().ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new RemoteInferenceException($"cannot reach {_client.BaseAddress}: {e.Message}", e);
        }
    }

    private static RemoteInferenceException Failure(HttpStatusCode status, byte[] body)
    {
        var text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300)).ReplaceLineEndings(" ");
        return new RemoteInferenceException($"the server answered {(int)status} {status}: {text}");
    }

    private static RemoteTensorMetadata[] Tensors(JsonElement root, string property) => root.TryGetProperty(property, out var list)
        ? [.. list.EnumerateArray().Select(t => new RemoteTensorMetadata(
            t.GetProperty("name").GetString()!, t.GetProperty("datatype").GetString()!, [.. t.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64())]))]
        : [];

    private sealed record PreparedBody(byte[] Bytes, int HeaderLength)
    {
        public string HeaderLengthText { get; } = HeaderLength.ToString(CultureInfo.InvariantCulture);
    }
}
