using System.Buffers.Binary;
using System.Text.Json;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Zoo;
using Silica.Runtime.Backends;
using Silica.Runtime.Generation.Tokenization;
using Silica.Runtime.Tensors;
using Silica.Serving.Hosting;
using Silica.Serving.OpenAi;

namespace Silica.Serving.Tests.OpenAi;

/// <summary>The zoo's BERT-base loaded once (the file is cached) and served by the real model server.</summary>
public sealed class BertFixture : IAsyncLifetime
{
    public OnnxModel Model { get; private set; } = null!;

    public ModelServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Model = OnnxModel.Load(ModelZoo.GetOrCreateFile("bert-base"));
        Server = ModelServer.ForModel(Model, "bert-base");
        await Server.StartAsync();
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();

    /// <summary>The mean-pooled, normalized embedding computed with ONNX Runtime directly, without the server.</summary>
    public float[] Reference(long[] ids)
    {
        using var session = BackendRegistry.Default.Get("cpu").CreateSession(Model);
        long[] shape = [1, ids.Length];
        using var inputIds = Tensor.FromArray(ids, shape);
        using var mask = Tensor.FromArray(Enumerable.Repeat(1L, ids.Length).ToArray(), shape);
        using var types = Tensor.FromArray(new long[ids.Length], shape);
        using var hidden = Tensor.Allocate(TensorDataType.Float, [1, ids.Length, 768]);
        using var pooled = Tensor.Allocate(TensorDataType.Float, [1, 768]);
        var outputs = new[] { hidden, pooled };
        if (session.Outputs[0].Name != "last_hidden_state")
        {
            (outputs[0], outputs[1]) = (outputs[1], outputs[0]);
        }
        session.Run([inputIds, mask, types], outputs);
        var rows = hidden.AsFloats();
        var mean = new double[768];
        for (var t = 0; t < ids.Length; t++)
        {
            for (var h = 0; h < 768; h++)
            {
                mean[h] += rows[(t * 768) + h] / ids.Length;
            }
        }
        var norm = Math.Sqrt(mean.Sum(v => v * v));
        return [.. mean.Select(v => (float)(v / norm))];
    }
}

public sealed class EmbeddingsTests(BertFixture bert) : IClassFixture<BertFixture>, IAsyncLifetime
{
    private OpenAiTestHost _host = null!;

    public async Task InitializeAsync() => _host = await OpenAiTestHost.StartAsync([new ScriptedEngine()], server: bert.Server);

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Embeddings_TokenIds_MatchMeanPooledNormalizedLastHiddenState()
    {
        using var response = await _host.PostAsync("/v1/embeddings", """{"model":"bert-base","input":[[101,7592,2088,102],[101,2023,102]]}""");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var doc = JsonDocument.Parse(text);
        var root = doc.RootElement;
        Assert.Equal("list", root.GetProperty("object").GetString());
        Assert.Equal("bert-base", root.GetProperty("model").GetString());
        Assert.Equal(7, root.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        var data = root.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal([0, 1], data.Select(d => d.GetProperty("index").GetInt32()));
        var first = data[0].GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var second = data[1].GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        Assert.Equal(768, first.Length);
        Assert.Equal(1.0, Math.Sqrt(first.Sum(v => (double)v * v)), 4);
        var expected = bert.Reference([101, 7592, 2088, 102]);
        for (var i = 0; i < 768; i++)
        {
            Assert.Equal(expected[i], first[i], 4);
        }
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task Embeddings_Text_IsGpt2BpeFoldedIntoBertIdsBetweenClsAndSep()
    {
        await using var host = await OpenAiTestHost.StartAsync([], server: bert.Server,
            openAiOptions: new OpenAiServiceOptions { EmbeddingTokenizer = Gpt2Tokenizer.Instance });
        var words = Gpt2Tokenizer.Instance.Encode("Silica serves embeddings");

        using var response = await host.PostAsync("/v1/embeddings", """{"model":"bert-base","input":["Silica serves embeddings","other text"]}""");

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        using var doc = JsonDocument.Parse(text);
        long[] ids = [101, .. words.Select(w => 999L + (w % (30522 - 999))), 102];
        Assert.Equal(ids.Length + Gpt2Tokenizer.Instance.Encode("other text").Count + 2, doc.RootElement.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        var embedding = doc.RootElement.GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var expected = bert.Reference(ids);
        for (var i = 0; i < 768; i++)
        {
            Assert.Equal(expected[i], embedding[i], 4);
        }
    }

    [Fact]
    public async Task Embeddings_Base64_IsTheLittleEndianFloat32OfTheFloatAnswer()
    {
        const string input = "[101,2054,2003,102]";

        using var floats = JsonDocument.Parse(await (await _host.PostAsync("/v1/embeddings", $$"""{"model":"bert-base","input":{{input}}}""")).Content.ReadAsStringAsync());
        using var encoded = JsonDocument.Parse(await (await _host.PostAsync("/v1/embeddings", $$"""{"model":"bert-base","input":{{input}},"encoding_format":"base64"}""")).Content.ReadAsStringAsync());

        var expected = floats.RootElement.GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(e => e.GetSingle()).ToArray();
        var bytes = Convert.FromBase64String(encoded.RootElement.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        Assert.Equal(768 * 4, bytes.Length);
        var decoded = Enumerable.Range(0, 768).Select(i => BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(i * 4))).ToArray();
        Assert.Equal(expected, decoded);
    }

    [Theory]
    [InlineData("""{"model":"bert-base","input":[[101,99999,102]]}""", 400, "input", "outside the vocabulary")]
    [InlineData("""{"model":"bert-base","input":[101,102],"encoding_format":"hex"}""", 400, "encoding_format", "'float' or 'base64'")]
    [InlineData("""{"model":"bert-base","input":[101,102],"dimensions":256}""", 400, "dimensions", "768")]
    [InlineData("""{"model":"bert-base","input":[]}""", 400, "input", "input must be")]
    [InlineData("""{"model":"bert-base","input":"text needs a tokenizer"}""", 400, "input", "no tokenizer")]
    [InlineData("""{"model":"scripted","input":[101,102]}""", 400, "model", "text generation model")]
    [InlineData("""{"model":"nope","input":[101,102]}""", 404, "model", "'nope' does not exist")]
    public async Task Embeddings_BadRequest_AnswersOpenAiErrorAndKeepsServing(string body, int status, string param, string fragment)
    {
        using var response = await _host.PostAsync("/v1/embeddings", body);

        await OpenAiTestHost.AssertErrorAsync(response, status, param, fragment);
        using var good = await _host.PostAsync("/v1/embeddings", """{"model":"bert-base","input":[101,102]}""");
        Assert.Equal(200, (int)good.StatusCode);
    }

    [Fact]
    public async Task Embeddings_InputOverTheMaximumLength_Answers400NamingTheLimit()
    {
        var ids = string.Join(",", Enumerable.Repeat(2000, 513));

        using var response = await _host.PostAsync("/v1/embeddings", $$"""{"model":"bert-base","input":[{{ids}}]}""");

        await OpenAiTestHost.AssertErrorAsync(response, 400, "input", "513 tokens", "maximum input length is 512");
    }

    [Fact]
    public async Task Models_ListsGeneratorsAndTheEncoder()
    {
        using var doc = JsonDocument.Parse(await _host.Client.GetStringAsync("/v1/models"));

        Assert.Equal(["scripted", "bert-base"], doc.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()));
    }
}
