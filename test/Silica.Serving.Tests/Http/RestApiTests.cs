using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace Silica.Serving.Tests.Http;

public sealed class RestApiTests : IAsyncLifetime
{
    private RestServer _rest = null!;

    public async Task InitializeAsync() => _rest = await RestServer.StartAsync();

    public async Task DisposeAsync() => await _rest.DisposeAsync();

    [Theory]
    [InlineData("/v2/health/live", "live")]
    [InlineData("/v2/health/ready", "ready")]
    public async Task Health_Up_Answers200WithTrueBody(string path, string member)
    {
        using var response = await _rest.Client.GetAsync(path);

        Assert.Equal(200, (int)response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(doc.RootElement.GetProperty(member).GetBoolean());
    }

    [Fact]
    public async Task Ready_ServerNotReady_Answers503WithFalseBody()
    {
        _rest.Test.IsReady = false;

        using var response = await _rest.Client.GetAsync("/v2/health/ready");

        Assert.Equal(503, (int)response.StatusCode);
        Assert.Equal("""{"ready":false}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ServerMetadata_ListsNameVersionAndExtensions()
    {
        using var doc = JsonDocument.Parse(await _rest.Client.GetStringAsync("/v2"));

        Assert.Equal("silica-test", doc.RootElement.GetProperty("name").GetString());
        Assert.Contains("binary_tensor_data", doc.RootElement.GetProperty("extensions").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("/v2/models/mlp")]
    [InlineData("/v2/models/mlp/versions/1")]
    public async Task ModelMetadata_GivesTensorsInOipTerms(string path)
    {
        using var doc = JsonDocument.Parse(await _rest.Client.GetStringAsync(path));

        var x = doc.RootElement.GetProperty("inputs")[0];
        Assert.Equal("x", x.GetProperty("name").GetString());
        Assert.Equal("FP32", x.GetProperty("datatype").GetString());
        Assert.Equal([-1L, 16L], x.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal("1", doc.RootElement.GetProperty("versions")[0].GetString());
    }

    [Fact]
    public async Task ModelReady_Unloaded_Answers503ThenLoadedAgain200()
    {
        using var ready = await _rest.Client.GetAsync("/v2/models/mlp/versions/1/ready");
        Assert.Equal(200, (int)ready.StatusCode);

        await _rest.Server.UnloadAsync("mlp", default);
        using var unloaded = await _rest.Client.GetAsync("/v2/models/mlp/ready");
        Assert.Equal(503, (int)unloaded.StatusCode);
        using var infer = await _rest.PostJsonAsync("/v2/models/mlp/infer", RestServer.JsonBody(RestServer.Input(1), 1));
        await RestServer.AssertErrorAsync(infer, 503, "not loaded");

        await _rest.Server.LoadAsync("mlp", default);
        await _rest.AssertServesAsync();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task InferJson_EqualsInProcessOutputBitForBit(int rows)
    {
        var x = RestServer.Input(rows, seed: rows);

        using var response = await _rest.PostJsonAsync("/v2/models/mlp/infer", RestServer.JsonBody(x, rows));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        var expected = _rest.Expected(x, rows);
        var actual = RestServer.OutputData(text);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
        using var doc = JsonDocument.Parse(text);
        Assert.Equal("r1", doc.RootElement.GetProperty("id").GetString());
        Assert.Equal("mlp", doc.RootElement.GetProperty("model_name").GetString());
        Assert.Equal([rows, 8L], doc.RootElement.GetProperty("outputs")[0].GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()));
    }

    [Fact]
    public async Task InferJson_NestedData_SameAsFlat()
    {
        var x = RestServer.Input(2, seed: 4);
        var row = (int r) => "[" + string.Join(",", x.Skip(r * 16).Take(16).Select(v => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture))) + "]";
        var json = $$"""{"inputs":[{"name":"x","shape":[2,16],"datatype":"FP32","data":[{{row(0)}},{{row(1)}}]}]}""";

        using var response = await _rest.PostJsonAsync("/v2/models/mlp/infer", json);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(_rest.Expected(x, 2), RestServer.OutputData(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task InferBinary_InAndOut_EqualsInProcessOutputBitForBit()
    {
        var x = RestServer.Input(2, seed: 5);
        var (body, headerLength) = BinaryBody(x, 2, ""","parameters":{"binary_data_output":true}""");

        using var response = await _rest.PostBytesAsync("/v2/models/mlp/infer", body, headerLength);

        Assert.Equal(200, (int)response.StatusCode);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), System.Globalization.CultureInfo.InvariantCulture);
        using var doc = JsonDocument.Parse(bytes.AsMemory(0, jsonLength));
        var y = doc.RootElement.GetProperty("outputs")[0];
        Assert.Equal(2 * 8 * 4, y.GetProperty("parameters").GetProperty("binary_data_size").GetInt32());
        Assert.False(y.TryGetProperty("data", out _));
        var actual = Floats(bytes.AsSpan(jsonLength));
        Assert.Equal(_rest.Expected(x, 2).Select(BitConverter.SingleToInt32Bits), actual.Select(BitConverter.SingleToInt32Bits));
    }

    [Fact]
    public async Task InferBinaryInput_JsonOutputByDefault()
    {
        var x = RestServer.Input(1, seed: 6);
        var (body, headerLength) = BinaryBody(x, 1, "");

        using var response = await _rest.PostBytesAsync("/v2/models/mlp/infer", body, headerLength);

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(_rest.Expected(x, 1), RestServer.OutputData(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task InferJson_PerOutputBinaryData_SendsThatOutputBinary()
    {
        var x = RestServer.Input(1, seed: 7);

        using var response = await _rest.PostJsonAsync("/v2/models/mlp/infer",
            RestServer.JsonBody(x, 1, ""","outputs":[{"name":"y","parameters":{"binary_data":true}}]"""));

        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
        var jsonLength = int.Parse(response.Headers.GetValues("Inference-Header-Content-Length").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(jsonLength + (8 * 4), bytes.Length);
        Assert.Equal(_rest.Expected(x, 1), Floats(bytes.AsSpan(jsonLength)));
    }

    [Fact]
    public async Task Statistics_TritonShape()
    {
        await _rest.AssertServesAsync();

        using var doc = JsonDocument.Parse(await _rest.Client.GetStringAsync("/v2/models/mlp/stats"));

        var s = doc.RootElement.GetProperty("model_stats")[0];
        Assert.Equal("mlp", s.GetProperty("name").GetString());
        Assert.True(s.GetProperty("inference_count").GetInt64() >= 1);
        Assert.True(s.GetProperty("inference_stats").GetProperty("success").GetProperty("count").GetInt64() >= 1);
        Assert.True(s.GetProperty("inference_stats").TryGetProperty("compute_infer", out _));
    }

    [Fact]
    public async Task RepositoryIndex_ListsModelsWithState()
    {
        using var response = await _rest.PostJsonAsync("/v2/repository/index", """{"ready":true}""");

        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var entry = doc.RootElement[0];
        Assert.Equal("mlp", entry.GetProperty("name").GetString());
        Assert.Equal("READY", entry.GetProperty("state").GetString());
    }

    [Fact]
    public async Task ModelControl_Disabled_Answers403()
    {
        using var response = await _rest.Client.PostAsync("/v2/repository/models/mlp/unload", null);

        await RestServer.AssertErrorAsync(response, 403, "model control is disabled");
        await _rest.AssertServesAsync();
    }

    [Fact]
    public async Task Metrics_ServesTheServersPrometheusText()
    {
        await _rest.AssertServesAsync();

        using var response = await _rest.Client.GetAsync("/metrics");

        Assert.Equal(200, (int)response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Contains("silica_test_requests_total", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownRoute_Answers404Json()
    {
        using var response = await _rest.Client.GetAsync("/v3/nothing");

        await RestServer.AssertErrorAsync(response, 404, "no such endpoint");
    }

    [Fact]
    public async Task WrongMethod_AnswersJsonError_ThenStillServes()
    {
        using var response = await _rest.Client.DeleteAsync("/v2/models/mlp/infer");

        await RestServer.AssertErrorAsync(response, 404, "no such endpoint: DELETE /v2/models/mlp/infer");
        using var ready = await _rest.Client.GetAsync("/v2/health/ready");
        Assert.Equal(200, (int)ready.StatusCode);
    }

    [Fact]
    public async Task Stop_TurnsReadinessFalseAndStops()
    {
        Assert.False(_rest.Host.Draining);

        await _rest.Host.StopAsync();

        Assert.True(_rest.Host.Draining);
        await Assert.ThrowsAsync<HttpRequestException>(() => _rest.Client.GetAsync("/v2/health/ready"));
    }

    internal static (byte[] Body, int HeaderLength) BinaryBody(float[] x, int rows, string extra)
    {
        var json = Encoding.UTF8.GetBytes($$$"""{"inputs":[{"name":"x","shape":[{{{rows}}},16],"datatype":"FP32","parameters":{"binary_data_size":{{{x.Length * 4}}}}}]{{{extra}}}}""");
        var body = new byte[json.Length + (x.Length * 4)];
        json.CopyTo(body, 0);
        for (var i = 0; i < x.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(body.AsSpan(json.Length + (i * 4)), x[i]);
        }
        return (body, json.Length);
    }

    internal static float[] Floats(ReadOnlySpan<byte> bytes)
    {
        var v = new float[bytes.Length / 4];
        for (var i = 0; i < v.Length; i++)
        {
            v[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * 4)..]);
        }
        return v;
    }
}
