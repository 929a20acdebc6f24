using Google.Protobuf;
using Silica.Onnx.Cost;
using Silica.Onnx.Graph;
using Silica.Onnx.ShapeInference;
using Silica.Onnx.Zoo;
using Xunit.Abstractions;

namespace Silica.Onnx.Tests.Zoo;

/// <summary>
/// Every KV-cache decoder preset, weightless: its <see cref="DecoderMetadata"/>, its shapes under bound
/// batch / seq / past_seq, its parameter count against the published or formula figure, and its MACs.
/// </summary>
[Collection(ZooCollection.Name)]
public sealed class DecoderZooTests(ITestOutputHelper output)
{
    private static readonly ZooBuildOptions Weightless = new() { WithWeights = false };

    public static TheoryData<string, string, int, long, long, long, long, long, long, long> Presets() => new()
    {
        // name, architecture, layers, hidden, heads, kv heads, head dim, intermediate, vocab, context
        { "gpt2-small", "gpt2", 12, 768, 12, 12, 64, 3072, 50257, 1024 },
        { "gpt2-medium", "gpt2", 24, 1024, 16, 16, 64, 4096, 50257, 1024 },
        { "gpt2-large", "gpt2", 36, 1280, 20, 20, 64, 5120, 50257, 1024 },
        { "llama-tiny", "llama", 4, 256, 8, 2, 32, 704, 50257, 2048 },
        { "llama-160m", "llama", 12, 768, 12, 4, 64, 2304, 50257, 2048 },
        { "llama-3-8b", "llama", 32, 4096, 32, 8, 128, 14336, 128256, 8192 },
        { "llama-2-70b", "llama", 80, 8192, 64, 8, 128, 28672, 32000, 4096 },
    };

    [Theory]
    [MemberData(nameof(Presets))]
    public void Build_DecoderPreset_MetadataShapesParametersAndMacsMatchArchitecture(
        string name, string architecture, int layers, long hidden, long heads, long kvHeads, long headDim, long intermediate, long vocab, long context)
    {
        var info = ModelZoo.Find(name)!;
        Assert.Equal(ZooModelFamily.DecoderWithPast, info.Family);
        Assert.Contains("synthetic", info.Description, StringComparison.Ordinal);
        var model = ModelZoo.Build(name, Weightless);

        var decoder = DecoderMetadata.TryRead(model)!;
        Assert.Equal(
            new DecoderInfo
            {
                Architecture = architecture,
                Layers = layers,
                Hidden = hidden,
                Heads = heads,
                KvHeads = kvHeads,
                HeadDim = headDim,
                Intermediate = intermediate,
                Vocab = vocab,
                ContextLength = context,
                HasPositionIds = true,
                SyntheticWeights = true,
                RopeTheta = architecture == "llama" ? (name == "llama-3-8b" ? 500000 : 10000) : null,
                Tokenizer = vocab == 50257 ? "gpt2" : null,
                EndOfSequenceId = vocab == 50257 ? 50256 : null,
            },
            decoder);
        Assert.Equal(2L * layers * kvHeads * headDim * 4, decoder.KvBytesPerToken);

        // A decode-ish step: 2 rows, 5 new tokens on 3 cached ones.
        const long batch = 2, seq = 5, past = 3;
        var result = ShapeInferencer.Infer(model, new Dictionary<string, long> { ["batch"] = batch, ["seq"] = seq, ["past_seq"] = past, ["total_seq"] = past + seq });
        Assert.True(result.IsComplete, string.Join("; ", result.Diagnostics.Select(d => d.Message).Concat(result.IncompleteValues)));
        Assert.Equal(2 * layers + 1, model.Graph.Outputs.Count);
        Assert.Equal([batch, seq, vocab], model.Graph.Outputs[0].Type!.Shape!.ToArray());
        Assert.All(model.Graph.Outputs.Skip(1), o => Assert.Equal([batch, kvHeads, past + seq, headDim], o.Type!.Shape!.ToArray()));

        var cost = CostModel.Analyze(model);
        Assert.Equal(0, cost.UnknownNodes);
        var expectedParameters = ExpectedParameters(architecture, layers, hidden, kvHeads * headDim, intermediate, vocab);
        Assert.Equal(expectedParameters, Weights(model));

        // Every weight matrix is used once per token (GPT-2's tied head as well); attention adds QK and AV.
        var matmulPerToken = architecture == "gpt2"
            ? layers * 12 * hidden * hidden + vocab * hidden
            : layers * (2 * hidden * hidden + 2 * hidden * kvHeads * headDim + 3 * hidden * intermediate) + vocab * hidden;
        var attention = 2.0 * layers * heads * headDim * seq * (past + seq);
        var expectedMacs = batch * (seq * (double)matmulPerToken + attention);
        output.WriteLine($"{name}: {expectedParameters:N0} parameters, {cost.Macs / 1e9:F2} GMACs for {batch}x{seq} tokens on {past} cached (matmul+attention {expectedMacs / 1e9:F2})");
        Assert.InRange(cost.Macs, expectedMacs, expectedMacs * 1.02);
    }

    [Theory]
    [InlineData("llama-3-8b", 8_030_261_248)]
    [InlineData("llama-2-70b", 68_976_648_192)]
    public void Build_FullSizeLlama_ParameterCountIsThePublishedOne(string name, long published)
    {
        Assert.Equal(published, Weights(ModelZoo.Build(name, Weightless)));
    }

    [Fact]
    public void BuildAndGetOrCreateFile_FullSizeLlama_AlwaysWeightless()
    {
        Assert.True(ModelZoo.Find("llama-3-8b")!.WeightlessOnly);
        Assert.False(ModelZoo.Find("llama-tiny")!.WeightlessOnly);
        Assert.True(ModelZoo.Build("llama-3-8b").IsWeightless);
        var path = ModelZoo.GetOrCreateFile("llama-2-70b");
        Assert.Contains("weightless", Path.GetFileName(path), StringComparison.Ordinal);
        Assert.True(new FileInfo(path).Length < 2_000_000);
        Assert.True(OnnxModel.Load(path).IsWeightless);
    }

    [Fact]
    public void TryRead_OptimumExportWithoutSilicaMetadata_InfersLayersKvHeadsHeadDimAndVocabFromTheGraph()
    {
        // A user's export carries no silica.llm.* keys: strip them and read what the graph itself shows.
        var proto = ModelZoo.Build("llama-tiny", Weightless).ToProto();
        proto.MetadataProps.Clear();
        var bare = OnnxModel.Load(proto.ToByteArray());

        var info = DecoderMetadata.TryRead(bare)!;

        Assert.Equal("unknown", info.Architecture);
        Assert.Equal(4, info.Layers);
        Assert.Equal(2, info.KvHeads);
        Assert.Equal(32, info.HeadDim);
        Assert.Equal(50257, info.Vocab);
        Assert.True(info.HasPositionIds);
        Assert.Null(info.Hidden);
        Assert.Null(info.Heads);
        Assert.Null(info.ContextLength);
        Assert.False(info.SyntheticWeights);
    }

    [Theory]
    [InlineData("gpt2-small-prefill")]
    [InlineData("bert-base")]
    [InlineData("mlp")]
    public void TryRead_ModelWithoutPastInputs_IsNull(string name)
    {
        Assert.Null(DecoderMetadata.TryRead(ModelZoo.Build(name, Weightless)));
    }

    [Theory]
    [InlineData("gpt2-small")]
    [InlineData("llama-tiny")]
    public void Infer_DecoderStepAtBoundSizes_MatchesOnnxRuntimeShapes(string name)
    {
        using var runner = DecoderStepRunner.ForZoo(name);
        var prefill = runner.Prefill([15496, 995, 11], [40, 1101, 257]);
        var step = runner.Step([[318, 11], [2068, 13]], [DecoderStepRunner.Ones(5), DecoderStepRunner.Ones(5)], [[3, 4], [3, 4]], prefill.Present);

        var model = ModelZoo.Build(name, Weightless);
        var result = ShapeInferencer.Infer(model, new Dictionary<string, long> { ["batch"] = 2, ["seq"] = 2, ["past_seq"] = 3, ["total_seq"] = 5 });
        Assert.True(result.IsComplete);
        Assert.Equal([2L, 2, runner.Info.Vocab!.Value], model.Graph.Outputs[0].Type!.Shape!.ToArray());
        Assert.Equal([step.Batch, step.Seq, step.Vocab], model.Graph.Outputs[0].Type!.Shape!.ToArray());
        for (var i = 0; i < step.Present.Length; i++)
        {
            Assert.Equal(step.Present[i].Shape, model.Graph.Outputs[i + 1].Type!.Shape!.ToArray());
        }
    }

    // The float scalars (mask fill, epsilons, the rotary base) are constants, not weights.
    private static long Weights(OnnxModel model) =>
        ArchitectureCounts.FloatParameters(model, n => !n.StartsWith("const_", StringComparison.Ordinal));

    private static long ExpectedParameters(string architecture, long layers, long h, long kvWidth, long intermediate, long vocab) =>
        architecture == "gpt2"
            ? ArchitectureCounts.Gpt2(layers, h)
            : 2 * vocab * h + h + layers * (2 * h * h + 2 * h * kvWidth + 3 * h * intermediate + 2 * h);
}
