using System.Text;

namespace Silica.Serving.Tests.Http;

/// <summary>
/// The rows of shared/RELIABILITY.md that the REST front end answers, sent to a real Kestrel over the real
/// <see cref="Hosting.ModelServer"/>: each asserts the status and the message, then that a good request still works.
/// </summary>
public sealed class RestReliabilityTests : IAsyncLifetime
{
    private const string Infer = "/v2/models/mlp/infer";
    private RestServer _rest = null!;

    public async Task InitializeAsync() =>
        _rest = await RestServer.StartModelServerAsync(new ServerHostOptions { MaxRequestBodyBytes = 256 << 10 });

    public async Task DisposeAsync() => await _rest.DisposeAsync();

    private static string Body(string shape, string data, string datatype = "FP32", string name = "x") =>
        $$"""{"inputs":[{"name":"{{name}}","shape":{{shape}},"datatype":"{{datatype}}","data":{{data}}}]}""";

    private static string Zeros(int n) => "[" + string.Join(",", Enumerable.Repeat("0", n)) + "]";

    private async Task<string> ExpectAsync(HttpResponseMessage response, int status, params string[] fragments)
    {
        using (response)
        {
            var message = await RestServer.AssertErrorAsync(response, status, fragments);
            await _rest.AssertServesAsync();
            return message;
        }
    }

    // Row 1
    [Theory]
    [InlineData("""{"inputs":[{"name":"x","shape":[1,16]""", "malformed JSON")]
    [InlineData("""{"inputs":[]} {"inputs":[]}""", "malformed JSON")]
    [InlineData("""{"inputs":[]}xyz""", "malformed JSON")]
    [InlineData("", "empty")]
    [InlineData("[1,2]", "must be an object")]
    public async Task MalformedJson_400(string body, string fragment) =>
        await ExpectAsync(await _rest.PostJsonAsync(Infer, body), 400, fragment);

    [Fact]
    public async Task InvalidUtf8_400()
    {
        var body = Encoding.UTF8.GetBytes(Body("[1,16]", Zeros(16))).Concat(new byte[] { 0x20 }).ToArray();
        body[10] = 0xFF;
        await ExpectAsync(await _rest.PostBytesAsync(Infer, body, null), 400, "UTF-8");
    }

    // Row 2
    [Fact]
    public async Task DeepNesting_400DepthLimit()
    {
        var deep = new string('[', 5000) + "0" + new string(']', 5000);
        await ExpectAsync(await _rest.PostJsonAsync(Infer, Body("[1,16]", deep)), 400, "depth");
    }

    // Row 3
    [Theory]
    [InlineData("/v2/models/nope/infer", "nope")]
    [InlineData("/v2/models/mlp/versions/7/infer", "7")]
    public async Task UnknownModelOrVersion_404(string path, string fragment) =>
        await ExpectAsync(await _rest.PostJsonAsync(path, Body("[1,16]", Zeros(16))), 404, fragment);

    [Theory]
    [InlineData("/v2/models/nope")]
    [InlineData("/v2/models/nope/ready")]
    [InlineData("/v2/models/mlp/versions/7")]
    public async Task UnknownModelMetadata_404(string path) =>
        await ExpectAsync(await _rest.Client.GetAsync(path), 404, "");

    // Row 4
    [Theory]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("%2e%2e%2f%2e%2e%2fetc")]
    [InlineData("a%5Cb")]
    [InlineData("%2Fetc%2Fpasswd")]
    [InlineData("%E2%80%AEmlp")]
    [InlineData(".hidden")]
    [InlineData("m%20lp")]
    public async Task PathLikeModelNames_400BeforeLookup(string name)
    {
        var uri = new Uri(_rest.Client.BaseAddress + $"v2/models/{name}/ready", new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        await ExpectAsync(await _rest.Client.GetAsync(uri), 400, "invalid model name");
    }

    [Fact]
    public async Task NulInModelName_400()
    {
        var uri = new Uri(_rest.Client.BaseAddress + "v2/models/ml%00p/ready", new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        using var response = await _rest.Client.GetAsync(uri);
        Assert.Equal(400, (int)response.StatusCode);
        await _rest.AssertServesAsync();
    }

    // Row 5
    [Fact]
    public async Task UnknownDatatype_400NamesInputAndType() =>
        await ExpectAsync(await _rest.PostJsonAsync(Infer, Body("[1,16]", Zeros(16), "FP33")), 400, "'x'", "FP33");

    [Fact]
    public async Task MismatchedDatatype_400NamesInputAndExpectedType() =>
        await ExpectAsync(await _rest.PostJsonAsync(Infer, Body("[1,16]", Zeros(16), "INT64")), 400, "'x'", "FP32");

    [Fact]
    public async Task BytesDatatype_400NotSupported() =>
        await ExpectAsync(await _rest.PostJsonAsync(Infer, Body("[1]", """["a"]""", "BYTES")), 400, "BYTES");

    // Row 6
    [Theory]
    [InlineData("[1,2,8]", 16, "rank")]
    [InlineData("[1,15]", 15, "dimension 1")]
    [InlineData("[16]", 16, "rank")]
    public async Task WrongShape_400(string shape, int count, string fragment) =>
        await ExpectAsync(await _rest.PostJsonAsync(Infer, Body(shape, Zeros(count))), 400, "'x'", fragment);

    // Row 7
    [Fact]
    public async Task CountNotProductOfShape_400() =>
        await ExpectAsync(await _rest.PostJsonAsync(Infer, Body("[1,16]", Zeros(15))), 400, "needs 16 values, the data holds 15");

    [Fact]
    public async Task BinarySizeNotDeclaredSize_400ExpectedXGotY()
    {
        var json = Encoding.UTF8.GetBytes("""{"inputs":[{"name":"x","shape":[1,16],"datatype":"FP32","parameters":{"binary_data_size":60}}]}""");
        var body = json.Concat(new byte[60]).ToArray();
        await ExpectAsync(await _rest.PostBytesAsync(Infer, body, json.Length), 400, "expected 64 bytes, got 60");
    }

    // Row 8
    [Theory]
    [InlineData("[4294967296,4294967296,4294967296]", "64 bits")]
    [InlineData("[9223372036854775807,2]", "64 bits")]
    [InlineData("[1,2147483647]", "tensor limit")]
    [InlineData("[1000000,16]", "needs 16000000 values, the data holds 16")]
    public async Task HugeShapeTinyPayload_400(string shape, string fragment) =>
        await ExpectAsync(await _rest.PostJsonAsync(Infer, Body(shape, Zeros(16))), 400, fragment);

    // Row 9
    [Theory]
    [InlineData("[-1,16]")]
    [InlineData("[1,-16]")]
    public async Task NegativeDimension_400(string shape) =>
        await ExpectAsync(await _rest.PostJsonAsync(Infer, Body(shape, Zeros(16))), 400, "negative");

    // Row 10
    [Fact]
    public async Task BatchOverMax_400() =>
        await ExpectAsync(await _rest.PostJsonAsync(Infer, Body("[5,16]", Zeros(80))), 400, "max_batch_size");

    // Row 11
    [Fact]
    public async Task MissingInput_400ListsNames() =>
        await ExpectAsync(await _rest.PostJsonAsync(Infer, Body("[1,16]", Zeros(16), name: "z")), 400, "'x'");

    [Fact]
    public async Task ExtraInput_400ListsNames() =>
        await ExpectAsync(await _rest.PostJsonAsync(Infer,
            $$"""{"inputs":[{"name":"x","shape":[1,16],"datatype":"FP32","data":{{Zeros(16)}}},{"name":"extra","shape":[1],"datatype":"FP32","data":[0]}]}"""), 400, "extra");

    [Fact]
    public async Task DuplicateInput_400() =>
        await ExpectAsync(await _rest.PostJsonAsync(Infer,
            $$"""{"inputs":[{"name":"x","shape":[1,16],"datatype":"FP32","data":{{Zeros(16)}}},{"name":"x","shape":[1,16],"datatype":"FP32","data":{{Zeros(16)}}}]}"""), 400, "'x'", "more than once");

    [Fact]
    public async Task UnknownOutput_400NamesIt() =>
        await ExpectAsync(await _rest.PostJsonAsync(Infer, RestServer.JsonBody(RestServer.Input(1), 1, ""","outputs":[{"name":"nope"}]""")), 400, "nope");

    // Row 12
    [Theory]
    [InlineData("1e39", "not a FP32 value")]
    [InlineData("\"1.5\"", "not a number")]
    [InlineData("true", "not a number")]
    [InlineData("null", "not a number")]
    public async Task OutOfRangeOrNonNumeric_400(string value, string fragment) =>
        await ExpectAsync(await _rest.PostJsonAsync(Infer, Body("[1,16]", "[" + value + "," + string.Join(",", Enumerable.Repeat("0", 15)) + "]")), 400, "element 0", fragment);

    // Row 13
    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    public async Task NaNLiteral_400(string literal) =>
        await ExpectAsync(await _rest.PostJsonAsync(Infer, Body("[1,16]", "[" + literal + "," + string.Join(",", Enumerable.Repeat("0", 15)) + "]")), 400, "malformed JSON");

    [Fact]
    public async Task NaNInBinaryTensor_ComputedAndSerialized()
    {
        var x = RestServer.Input(1);
        x[0] = float.NaN;
        x[1] = float.PositiveInfinity;
        var (body, headerLength) = RestApiTests.BinaryBody(x, 1, "");

        using var response = await _rest.PostBytesAsync(Infer, body, headerLength);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        var expected = _rest.Expected(x, 1);
        Assert.Equal(expected.Select(BitConverter.SingleToInt32Bits), ParseWithNamedLiterals(text).Select(BitConverter.SingleToInt32Bits));
        await _rest.AssertServesAsync();
    }

    // Row 14
    [Theory]
    [InlineData("-5", "positive integer")]
    [InlineData("abc", "positive integer")]
    [InlineData("0", "positive integer")]
    [InlineData("99999", "body holds only")]
    public async Task BinaryHeaderLengthBad_400(string header, string fragment)
    {
        var (body, _) = RestApiTests.BinaryBody(RestServer.Input(1), 1, "");
        var request = new HttpRequestMessage(HttpMethod.Post, Infer) { Content = new ByteArrayContent(body) };
        request.Headers.TryAddWithoutValidation("Inference-Header-Content-Length", header);
        await ExpectAsync(await _rest.Client.SendAsync(request), 400, "Inference-Header-Content-Length", fragment);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(-4)]
    public async Task BinarySizesNotAddingUp_400(int extraBytes)
    {
        var (body, headerLength) = RestApiTests.BinaryBody(RestServer.Input(1), 1, "");
        var changed = extraBytes > 0 ? body.Concat(new byte[extraBytes]).ToArray() : body[..^(-extraBytes)];
        await ExpectAsync(await _rest.PostBytesAsync(Infer, changed, headerLength), 400, "binary");
    }

    [Fact]
    public async Task BinarySizeWithoutHeader_400()
    {
        var (body, _) = RestApiTests.BinaryBody(RestServer.Input(1), 1, "");
        var json = Encoding.UTF8.GetString(body, 0, body.Length - 64);
        await ExpectAsync(await _rest.PostJsonAsync(Infer, json), 400, "no Inference-Header-Content-Length");
    }

    // Row 15
    [Fact]
    public async Task BodyOverLimit_413()
    {
        var content = new ByteArrayContent(new byte[300 << 10]);
        var response = await _rest.Client.PostAsync(Infer, content);
        // The unread body ends the connection: the answer says so, and the next request gets a fresh one.
        Assert.True(response.Headers.ConnectionClose, "a 413 must carry Connection: close");
        await ExpectAsync(response, 413, "over the 262144-byte limit");
    }

    [Fact]
    public async Task ChunkedBodyOverLimit_413()
    {
        var content = new StreamContent(new MemoryStream(new byte[300 << 10]));
        var request = new HttpRequestMessage(HttpMethod.Post, Infer) { Content = content };
        request.Headers.TransferEncodingChunked = true;
        using var response = await _rest.Client.SendAsync(request);
        Assert.Equal(413, (int)response.StatusCode);
        await _rest.AssertServesAsync();
    }

    // Row 17
    [Fact]
    public async Task HugeHeader_431()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v2/health/ready");
        request.Headers.TryAddWithoutValidation("X-Big", new string('a', 64 << 10));
        using var response = await _rest.Client.SendAsync(request);
        Assert.Equal(431, (int)response.StatusCode);
        await _rest.AssertServesAsync();
    }

    [Fact]
    public async Task ManyHeaders_431()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v2/health/ready");
        for (var i = 0; i < 500; i++)
        {
            request.Headers.TryAddWithoutValidation($"X-H{i}", "v");
        }
        using var response = await _rest.Client.SendAsync(request);
        Assert.Equal(431, (int)response.StatusCode);
        await _rest.AssertServesAsync();
    }

    // Row 19
    [Fact]
    public async Task BadRequestBesideGoodOnes_BadFailsAloneGoodCorrect()
    {
        var inputs = Enumerable.Range(0, 6).Select(i => RestServer.Input(1, seed: 20 + i)).ToArray();
        var good = inputs.Select(x => _rest.PostJsonAsync(Infer, RestServer.JsonBody(x, 1))).ToArray();
        var bad = _rest.PostJsonAsync(Infer, Body("[1,15]", Zeros(15)));

        await Task.WhenAll([.. good, bad]);

        await RestServer.AssertErrorAsync(await bad, 400, "'x'");
        for (var i = 0; i < good.Length; i++)
        {
            using var r = await good[i];
            Assert.Equal(_rest.Expected(inputs[i], 1), RestServer.OutputData(await r.Content.ReadAsStringAsync()));
        }
    }

    private static float[] ParseWithNamedLiterals(string json)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(json);
        return [.. doc.RootElement.GetProperty("outputs")[0].GetProperty("data").EnumerateArray().Select(e =>
            e.ValueKind == System.Text.Json.JsonValueKind.String ? float.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : e.GetSingle())];
    }
}
