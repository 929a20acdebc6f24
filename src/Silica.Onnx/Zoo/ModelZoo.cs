using System.Collections.Frozen;
using System.Globalization;
using Silica.Onnx.Graph;

namespace Silica.Onnx.Zoo;

/// <summary>
/// Built-in models with real architectures (ResNet-50, MobileNetV2, BERT, GPT-2, Llama, a small MLP) and seeded
/// pseudo-random (synthetic, untrained) weights, built in code so Silica can measure, predict and serve without downloading
/// anything. Every model uses opset 17, float32, and symbolic <c>batch</c> (and <c>seq</c>) dims.
/// </summary>
public static class ModelZoo
{
    /// <summary>
    /// Version of the graphs the zoo builds. Raise it whenever any model's nodes, names or weight values
    /// change, so cached files from an older build are not reused.
    /// </summary>
    public const int BuilderVersion = 2;

    /// <summary>Metadata key naming the zoo model a graph was built as.</summary>
    public const string NameMetadataKey = "silica.zoo.name";

    /// <summary>Metadata key holding the seed of the weights.</summary>
    public const string SeedMetadataKey = "silica.zoo.seed";

    /// <summary>Metadata key holding <see cref="BuilderVersion"/>.</summary>
    public const string VersionMetadataKey = "silica.zoo.version";

    private const string ImageInput = "input float[batch,3,224,224]";
    private const string ImageOutput = "output float[batch,1000]";
    private const string EncoderInputs = "input_ids int64[batch,seq], attention_mask int64[batch,seq], token_type_ids int64[batch,seq]";

    // Frozen: the infos hand these out as read-only views, so no caller can change them for everyone.
    private static readonly FrozenDictionary<string, long> BatchOnly = new Dictionary<string, long> { ["batch"] = 1 }.ToFrozenDictionary();
    private static readonly FrozenDictionary<string, long> BatchAndSeq = new Dictionary<string, long> { ["batch"] = 1, ["seq"] = 128 }.ToFrozenDictionary();

    // A decoder step binds the cache too: the defaults describe a 128-token prefill (an empty cache).
    private static readonly FrozenDictionary<string, long> DecoderStep = new Dictionary<string, long>
    {
        ["batch"] = 1,
        ["seq"] = 128,
        [LayerBuilder.PastSeq] = 0,
        [LayerBuilder.TotalSeq] = 128,
    }.ToFrozenDictionary();

    private static readonly (ZooModelInfo Info, Func<ZooBuildOptions, OnnxModel> Build)[] Entries =
    [
        (new("mlp", "MLP 784-512-512-10 (Gemm + Relu), the small model for serving and batching tests",
            ZooModelFamily.Mlp, BatchOnly, "input float[batch,784]", "output float[batch,10]", []), o => Mlp.Build(Mlp.Mnist, o)),
        (new("mlp-tiny", "MLP 16-32-10 (Gemm + Relu), microseconds per inference: for measuring what a server adds around a model",
            ZooModelFamily.Mlp, BatchOnly, "input float[batch,16]", "output float[batch,10]", []), o => Mlp.Build(Mlp.Tiny, o)),
        (new("resnet50", "ResNet-50 v1.5 (torchvision), 224x224, 1000 classes, unfolded BatchNorm; 25.6 M params, 4.1 GMACs",
            ZooModelFamily.Cnn, BatchOnly, ImageInput, ImageOutput, []), ResNet.Build50),
        (new("mobilenetv2", "MobileNetV2 width 1.0 (torchvision), 224x224, 1000 classes, depthwise convs, ReLU6; 3.5 M params, 0.3 GMACs",
            ZooModelFamily.Cnn, BatchOnly, ImageInput, ImageOutput, []), MobileNetV2.Build),
        (new("bert-base", "BERT-base encoder (Hugging Face export): 12 layers, hidden 768, 12 heads; 110 M params",
            ZooModelFamily.Encoder, BatchAndSeq, EncoderInputs, EncoderOutputs(768), []), o => Bert.Build(BertConfig.Base, o)),
        (new("bert-large", "BERT-large encoder (Hugging Face export): 24 layers, hidden 1024, 16 heads; 335 M params",
            ZooModelFamily.Encoder, BatchAndSeq, EncoderInputs, EncoderOutputs(1024), []), o => Bert.Build(BertConfig.Large, o)),
        Gpt2Entry(Gpt2Config.Small, "124 M params", ["gpt2"]),
        Gpt2Entry(Gpt2Config.Medium, "355 M params", []),
        Gpt2Entry(Gpt2Config.Large, "774 M params", []),
        (new("gpt2-small-prefill", "GPT-2 small prefill only (Hugging Face export, no KV cache, tied LM head): 12 layers, hidden 768, 12 heads; 124 M params, synthetic weights",
            ZooModelFamily.Decoder, BatchAndSeq, "input_ids int64[batch,seq]", "logits float[batch,seq,50257]", []), o => Gpt2.Build(Gpt2Config.Small, o)),
        (new("gpt2-medium-prefill", "GPT-2 medium prefill only (Hugging Face export, no KV cache, tied LM head): 24 layers, hidden 1024, 16 heads; 355 M params, synthetic weights",
            ZooModelFamily.Decoder, BatchAndSeq, "input_ids int64[batch,seq]", "logits float[batch,seq,50257]", []), o => Gpt2.Build(Gpt2Config.Medium, o)),
        LlamaEntry(LlamaConfig.Tiny, "runs fast on a 2-core CPU; GPT-2 vocabulary, so the served GPT-2 tokenizer applies", ["llama"]),
        LlamaEntry(LlamaConfig.M160, "GPT-2 vocabulary, so the served GPT-2 tokenizer applies", []),
        LlamaEntry(LlamaConfig.Llama3_8B, "Meta-Llama-3-8B's shape, weightless (for prediction only)", []),
        LlamaEntry(LlamaConfig.Llama2_70B, "Llama-2-70B's shape, weightless (for prediction only)", []),
    ];

    /// <summary>The models the zoo can build, smallest family first.</summary>
    public static IReadOnlyList<ZooModelInfo> Models { get; } = [.. Entries.Select(e => e.Info)];

    /// <summary>The known model names (without aliases), comma-separated, for error messages and help text.</summary>
    public static string KnownNames => string.Join(", ", Models.Select(m => m.Name));

    /// <summary>Finds a model by name or alias (case-insensitive), or returns null.</summary>
    public static ZooModelInfo? Find(string name) => FindEntry(name)?.Info;

    /// <summary>Builds a zoo model in memory.</summary>
    /// <param name="name">The model name or alias, without the <c>zoo:</c> prefix.</param>
    /// <param name="options">Weights and seed; the defaults build weights from seed 42.</param>
    /// <exception cref="ArgumentException">The zoo has no model of that name.</exception>
    public static OnnxModel Build(string name, ZooBuildOptions? options = null)
    {
        options ??= new ZooBuildOptions();
        var entry = FindEntry(name) ?? throw UnknownModel(name);
        if (entry.Info.WeightlessOnly)
        {
            options = options with { WithWeights = false };
        }
        var model = entry.Build(options);
        model.SetMetadata(NameMetadataKey, entry.Info.Name);
        model.SetMetadata(SeedMetadataKey, options.Seed.ToString(CultureInfo.InvariantCulture));
        model.SetMetadata(VersionMetadataKey, BuilderVersion.ToString(CultureInfo.InvariantCulture));
        return model;
    }

    /// <summary>
    /// The path of the model saved as an <c>.onnx</c> file in the zoo cache, building and writing it
    /// (atomically) only when no file for this name, seed, weights setting and <see cref="BuilderVersion"/>
    /// exists yet. The cache is <c>$SILICA_CACHE/zoo</c>, or <c>~/.cache/silica/zoo</c>.
    /// </summary>
    /// <param name="name">The model name or alias, without the <c>zoo:</c> prefix.</param>
    /// <param name="options">Weights and seed; the defaults build weights from seed 42.</param>
    /// <exception cref="ArgumentException">The zoo has no model of that name.</exception>
    public static string GetOrCreateFile(string name, ZooBuildOptions? options = null)
    {
        options ??= new ZooBuildOptions();
        var info = Find(name) ?? throw UnknownModel(name);
        if (info.WeightlessOnly)
        {
            options = options with { WithWeights = false };
        }
        return ZooCache.GetOrCreate(ZooCache.DefaultDirectory, info.Name, options, () => Build(info.Name, options));
    }

    private static (ZooModelInfo Info, Func<ZooBuildOptions, OnnxModel> Build)? FindEntry(string name)
    {
        foreach (var entry in Entries)
        {
            if (string.Equals(entry.Info.Name, name, StringComparison.OrdinalIgnoreCase)
                || entry.Info.Aliases.Any(a => string.Equals(a, name, StringComparison.OrdinalIgnoreCase)))
            {
                return entry;
            }
        }
        return null;
    }

    private static ArgumentException UnknownModel(string name) =>
        new($"unknown zoo model '{name}'; known models: {KnownNames}", nameof(name));

    private static (ZooModelInfo, Func<ZooBuildOptions, OnnxModel>) Gpt2Entry(Gpt2Config c, string size, string[] aliases) =>
        (new(c.Name, $"GPT-2 {c.Name["gpt2-".Length..]} with KV cache (Hugging Face Optimum with-past export, tied LM head): {c.Layers} layers, hidden {c.Hidden}, {c.Heads} heads; {size}, synthetic weights",
            ZooModelFamily.DecoderWithPast, DecoderStep, DecoderInputs(c.Layers, c.Heads, c.HeadDim), DecoderOutputs(c.Layers, c.Heads, c.HeadDim, Gpt2Config.Vocab), aliases),
            o => Gpt2.BuildWithPast(c, o));

    private static (ZooModelInfo, Func<ZooBuildOptions, OnnxModel>) LlamaEntry(LlamaConfig c, string note, string[] aliases) =>
        (new(c.Name, string.Create(CultureInfo.InvariantCulture,
                $"Llama architecture with KV cache (RMSNorm, rotary, SwiGLU, grouped-query attention; Optimum with-past export): {c.Layers} layers, hidden {c.Hidden}, {c.Heads} heads, {c.KvHeads} kv heads, intermediate {c.Intermediate}, vocab {c.Vocab}, context {c.ContextLength}; {c.Parameters / 1e6:F0} M params, synthetic weights; {note}"),
            ZooModelFamily.DecoderWithPast, DecoderStep, DecoderInputs(c.Layers, c.KvHeads, c.HeadDim), DecoderOutputs(c.Layers, c.KvHeads, c.HeadDim, c.Vocab), aliases)
        { WeightlessOnly = c.WeightlessOnly },
            o => Llama.Build(c, o));

    // Spelled out in full (every past and present tensor), as the infos promise: "name type[dims]" joined by commas.
    private static string DecoderInputs(int layers, long kvHeads, long headDim) =>
        "input_ids int64[batch,seq], attention_mask int64[batch,total_seq], position_ids int64[batch,seq], "
        + string.Join(", ", Enumerable.Range(0, layers).SelectMany(i => new[] { "key", "value" }.Select(kv =>
            string.Create(CultureInfo.InvariantCulture, $"past_key_values.{i}.{kv} float[batch,{kvHeads},past_seq,{headDim}]"))));

    private static string DecoderOutputs(int layers, long kvHeads, long headDim, long vocab) =>
        string.Create(CultureInfo.InvariantCulture, $"logits float[batch,seq,{vocab}], ")
        + string.Join(", ", Enumerable.Range(0, layers).SelectMany(i => new[] { "key", "value" }.Select(kv =>
            string.Create(CultureInfo.InvariantCulture, $"present.{i}.{kv} float[batch,{kvHeads},total_seq,{headDim}]"))));

    private static string EncoderOutputs(long hidden) =>
        $"last_hidden_state float[batch,seq,{hidden}], pooler_output float[batch,{hidden}]";
}
