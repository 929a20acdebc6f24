using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Onnx.Zoo;

/// <summary>
/// The sizes that define a Llama-architecture decoder (Touvron et al. 2023; Llama 3, Meta 2024).
/// <paramref name="WeightlessOnly"/> marks presets too large to fill with weights (for prediction only).
/// </summary>
internal sealed record LlamaConfig(
    string Name,
    int Layers,
    long Hidden,
    long Heads,
    long KvHeads,
    long Intermediate,
    long Vocab,
    long ContextLength,
    double RopeTheta,
    bool WeightlessOnly = false)
{
    public const float RmsNormEpsilon = 1e-5f;

    /// <summary>GPT-2's vocabulary size, so the served GPT-2 tokenizer encodes and decodes for the small presets.</summary>
    public const long Gpt2Vocab = 50257;

    /// <summary>Runs in milliseconds per token on a 2-core CPU: 4 layers, hidden 256, 8 heads over 2 kv heads.</summary>
    public static LlamaConfig Tiny { get; } = new("llama-tiny", 4, 256, 8, 2, 704, Gpt2Vocab, 2048, 10000);

    /// <summary>A mid-size servable preset: 12 layers, hidden 768, 12 heads over 4 kv heads; about 160 M parameters.</summary>
    public static LlamaConfig M160 { get; } = new("llama-160m", 12, 768, 12, 4, 2304, Gpt2Vocab, 2048, 10000);

    /// <summary>Meta-Llama-3-8B's shape (config.json of the release).</summary>
    public static LlamaConfig Llama3_8B { get; } = new("llama-3-8b", 32, 4096, 32, 8, 14336, 128256, 8192, 500000, WeightlessOnly: true);

    /// <summary>Llama-2-70b's shape (config.json of the release).</summary>
    public static LlamaConfig Llama2_70B { get; } = new("llama-2-70b", 80, 8192, 64, 8, 28672, 32000, 4096, 10000, WeightlessOnly: true);

    public long HeadDim => Hidden / Heads;

    /// <summary>The architecture as <see cref="DecoderMetadata"/> records it.</summary>
    public DecoderInfo Info => new()
    {
        Architecture = "llama",
        Layers = Layers,
        KvHeads = KvHeads,
        HeadDim = HeadDim,
        Hidden = Hidden,
        Heads = Heads,
        Intermediate = Intermediate,
        Vocab = Vocab,
        ContextLength = ContextLength,
        RopeTheta = RopeTheta,
        HasPositionIds = true,
        SyntheticWeights = true,
        // Only the presets on GPT-2's vocabulary can use the served GPT-2 tokenizer (and its <|endoftext|>).
        Tokenizer = Vocab == Gpt2Vocab ? "gpt2" : null,
        EndOfSequenceId = Vocab == Gpt2Vocab ? 50256 : null,
    };

    /// <summary>Parameter count: embeddings, untied LM head, per-layer attention, MLP and two norms, final norm.</summary>
    public long Parameters =>
        2 * Vocab * Hidden + Hidden
        + Layers * (2 * Hidden * Hidden + 2 * Hidden * KvHeads * HeadDim + 3 * Hidden * Intermediate + 2 * Hidden);
}

/// <summary>
/// A Llama-architecture decoder step in the Hugging Face Optimum with-past convention (as
/// <c>LlamaForCausalLM</c> exports): RMSNorm before attention and MLP, rotary position embeddings in the
/// rotate_half convention applied to queries and keys, grouped-query attention (kv heads repeated to the
/// query heads), a SwiGLU MLP (down(silu(gate(x)) * up(x))), no biases anywhere and an untied LM head.
/// </summary>
internal static class Llama
{
    public static OnnxModel Build(LlamaConfig config, ZooBuildOptions options)
    {
        if (config.WeightlessOnly)
        {
            options = options with { WithWeights = false };
        }
        var l = new LayerBuilder(config.Name, options);
        var g = l.Graph;
        var inputs = l.DecoderInputs(config.Layers, config.KvHeads, config.HeadDim);

        var embeddings = g.Weight("model.embed_tokens.weight", [config.Vocab, config.Hidden], WeightFill.Small);
        var x = l.Node("Gather", [embeddings, inputs.InputIds]);
        var allowed = l.CausalPaddingMask(inputs);
        var rotary = l.RotaryTables(inputs.PositionIds, config.HeadDim, config.RopeTheta);

        var present = new (Value Key, Value Value)[config.Layers];
        for (var i = 0; i < config.Layers; i++)
        {
            (x, present[i]) = Layer(l, config, x, allowed, rotary, inputs.PastKeys[i], inputs.PastValues[i], $"model.layers.{i}");
        }
        x = l.RmsNorm(x, "model.norm", config.Hidden, LlamaConfig.RmsNormEpsilon);
        var logits = l.LinearNoBias(x, "lm_head", config.Hidden, config.Vocab);

        g.Output(logits, "logits", new TensorType(TensorDataType.Float, new TensorShape("batch", "seq", config.Vocab)));
        l.PresentOutputs(present, config.KvHeads, config.HeadDim);
        var model = g.Build();
        DecoderMetadata.Write(model, config.Info);
        return model;
    }

    private static (Value X, (Value Key, Value Value) Present) Layer(
        LayerBuilder l, LlamaConfig config, Value x, Value allowed, (Value Cos, Value Sin) rotary, Value pastKey, Value pastValue, string name)
    {
        var h = config.Hidden;
        var d = config.HeadDim;
        var normed = l.RmsNorm(x, $"{name}.input_layernorm", h, LlamaConfig.RmsNormEpsilon);
        var q = l.SplitHeads(l.LinearNoBias(normed, $"{name}.self_attn.q_proj", h, config.Heads * d), config.Heads, d);
        var k = l.SplitHeads(l.LinearNoBias(normed, $"{name}.self_attn.k_proj", h, config.KvHeads * d), config.KvHeads, d);
        var v = l.SplitHeads(l.LinearNoBias(normed, $"{name}.self_attn.v_proj", h, config.KvHeads * d), config.KvHeads, d);
        q = l.ApplyRotary(q, rotary, d);
        k = l.AppendToCache(pastKey, l.ApplyRotary(k, rotary, d));
        v = l.AppendToCache(pastValue, v);

        var context = l.MergeHeads(l.CachedAttention(q, k, v, allowed, config.Heads, config.KvHeads, d), config.Heads * d);
        x = l.Node("Add", [x, l.LinearNoBias(context, $"{name}.self_attn.o_proj", config.Heads * d, h)]);

        normed = l.RmsNorm(x, $"{name}.post_attention_layernorm", h, LlamaConfig.RmsNormEpsilon);
        var gate = l.Silu(l.LinearNoBias(normed, $"{name}.mlp.gate_proj", h, config.Intermediate));
        var up = l.LinearNoBias(normed, $"{name}.mlp.up_proj", h, config.Intermediate);
        var mlp = l.LinearNoBias(l.Node("Mul", [gate, up]), $"{name}.mlp.down_proj", config.Intermediate, h);
        return (l.Node("Add", [x, mlp]), (k, v));
    }
}
