using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Onnx.Zoo;

/// <summary>The sizes that define a GPT-2 decoder (Radford et al. 2019).</summary>
internal sealed record Gpt2Config(string Name, int Layers, long Hidden, long Heads)
{
    public const long Vocab = 50257;
    public const long MaxPositions = 1024;

    public static Gpt2Config Small { get; } = new("gpt2-small", 12, 768, 12);

    public static Gpt2Config Medium { get; } = new("gpt2-medium", 24, 1024, 16);

    public static Gpt2Config Large { get; } = new("gpt2-large", 36, 1280, 20);

    public long HeadDim => Hidden / Heads;

    public long Intermediate => 4 * Hidden;

    /// <summary>The architecture as <see cref="DecoderMetadata"/> records it.</summary>
    public DecoderInfo Info => new()
    {
        Architecture = "gpt2",
        Layers = Layers,
        KvHeads = Heads,
        HeadDim = HeadDim,
        Hidden = Hidden,
        Heads = Heads,
        Intermediate = Intermediate,
        Vocab = Vocab,
        ContextLength = MaxPositions,
        HasPositionIds = true,
        SyntheticWeights = true,
        Tokenizer = "gpt2",
        EndOfSequenceId = 50256,
    };
}

/// <summary>
/// The prefill pass of Hugging Face's <c>GPT2LMHeadModel</c> (no KV cache in or out): token and position
/// embeddings, pre-LayerNorm blocks with a fused QKV projection split three ways, the causal mask as a
/// constant lower-triangular bool matrix sliced to [seq, seq] and applied with Where, tanh GELU, a final
/// LayerNorm and the LM head tied to the token embedding (one weight, transposed in the graph).
/// </summary>
internal static class Gpt2
{
    private const float LayerNormEpsilon = 1e-5f;

    // HF fills masked scores with finfo(float32).min; -1e4 gives the same softmax and survives a cast to fp16.
    private const float MaskedScore = -10000f;

    public static OnnxModel Build(Gpt2Config config, ZooBuildOptions options)
    {
        var l = new LayerBuilder(config.Name + "-prefill", options);
        var g = l.Graph;
        var inputIds = g.Input("input_ids", TensorDataType.Int64, "batch", "seq");

        var tokens = g.Weight("transformer.wte.weight", [Gpt2Config.Vocab, config.Hidden], WeightFill.Small);
        var positions = g.Weight("transformer.wpe.weight", [Gpt2Config.MaxPositions, config.Hidden], WeightFill.Small);
        var seq = l.SequenceLength(inputIds);
        var x = l.Node("Add", [l.Node("Gather", [tokens, inputIds]), l.Node("Gather", [positions, l.PositionIds(seq)])]);

        var causal = CausalMask(l, seq);
        for (var i = 0; i < config.Layers; i++)
        {
            x = Block(l, config, x, causal, $"transformer.h.{i}");
        }
        x = l.LayerNorm(x, "transformer.ln_f", config.Hidden, LayerNormEpsilon);

        // Tied LM head: the embedding matrix is stored once and transposed in the graph, as torch exports it.
        var logits = l.Node("MatMul", [x, l.Node("Transpose", [tokens], Attr.Ints("perm", 1, 0))]);
        g.Output(logits, "logits", new TensorType(TensorDataType.Float, new TensorShape("batch", "seq", Gpt2Config.Vocab)));
        var model = g.Build();
        model.SetMetadata(DecoderMetadata.TokenizerKey, "gpt2");
        model.SetMetadata(DecoderMetadata.WeightsKey, "synthetic");
        return model;
    }

    /// <summary>The [1024, 1024] lower-triangular bool constant (HF's <c>attn.bias</c> buffer) sliced to [seq, seq].</summary>
    private static Value CausalMask(LayerBuilder l, Value seq)
    {
        var n = (int)Gpt2Config.MaxPositions;
        var lower = new byte[n * n];
        for (var row = 0; row < n; row++)
        {
            lower.AsSpan(row * n, row + 1).Fill(1);
        }
        var g = l.Graph.Graph;
        var constant = g.AddInitializer(TensorData.FromRaw(g.UniqueName("causal_mask"), TensorDataType.Bool, [n, n], lower));
        var end = l.Node("Unsqueeze", [seq, l.Int64s(0)]);
        var ends = l.Node("Concat", [end, end], Attr.Int("axis", 0));
        return l.Node("Slice", [constant, l.Int64s(0, 0), ends, l.Int64s(0, 1)]);
    }

    /// <summary>
    /// One decoding step with a KV cache in the Hugging Face Optimum <c>decoder_model_merged</c> convention:
    /// the same weights (names, order and values) as the prefill graph, position embeddings gathered at the
    /// given <c>position_ids</c>, each layer's keys and values appended to its past and returned as present,
    /// and the causal-and-padding mask built from <c>attention_mask</c> and the past length.
    /// </summary>
    public static OnnxModel BuildWithPast(Gpt2Config config, ZooBuildOptions options)
    {
        var l = new LayerBuilder(config.Name, options);
        var g = l.Graph;
        var inputs = l.DecoderInputs(config.Layers, config.Heads, config.HeadDim);

        var tokens = g.Weight("transformer.wte.weight", [Gpt2Config.Vocab, config.Hidden], WeightFill.Small);
        var positions = g.Weight("transformer.wpe.weight", [Gpt2Config.MaxPositions, config.Hidden], WeightFill.Small);
        var x = l.Node("Add", [l.Node("Gather", [tokens, inputs.InputIds]), l.Node("Gather", [positions, inputs.PositionIds])]);

        var allowed = l.CausalPaddingMask(inputs);
        var present = new (Value Key, Value Value)[config.Layers];
        for (var i = 0; i < config.Layers; i++)
        {
            (x, present[i]) = CachedBlock(l, config, x, allowed, inputs.PastKeys[i], inputs.PastValues[i], $"transformer.h.{i}");
        }
        x = l.LayerNorm(x, "transformer.ln_f", config.Hidden, LayerNormEpsilon);

        var logits = l.Node("MatMul", [x, l.Node("Transpose", [tokens], Attr.Ints("perm", 1, 0))]);
        g.Output(logits, "logits", new TensorType(TensorDataType.Float, new TensorShape("batch", "seq", Gpt2Config.Vocab)));
        l.PresentOutputs(present, config.Heads, config.HeadDim);
        var model = g.Build();
        DecoderMetadata.Write(model, config.Info);
        return model;
    }

    private static (Value X, (Value Key, Value Value) Present) CachedBlock(
        LayerBuilder l, Gpt2Config config, Value x, Value allowed, Value pastKey, Value pastValue, string name)
    {
        var h = config.Hidden;
        var normed = l.LayerNorm(x, $"{name}.ln_1", h, LayerNormEpsilon);
        var qkv = l.Graph.Node("Split", [l.Linear(normed, $"{name}.attn.c_attn", h, 3 * h), l.Int64s(h, h, h)], 3, Attr.Int("axis", 2));
        var q = l.SplitHeads(qkv[0], config.Heads, config.HeadDim);
        var k = l.AppendToCache(pastKey, l.SplitHeads(qkv[1], config.Heads, config.HeadDim));
        var v = l.AppendToCache(pastValue, l.SplitHeads(qkv[2], config.Heads, config.HeadDim));

        var context = l.MergeHeads(l.CachedAttention(q, k, v, allowed, config.Heads, config.Heads, config.HeadDim), h);
        x = l.Node("Add", [x, l.Linear(context, $"{name}.attn.c_proj", h, h)]);

        normed = l.LayerNorm(x, $"{name}.ln_2", h, LayerNormEpsilon);
        var ffn = l.GeluTanh(l.Linear(normed, $"{name}.mlp.c_fc", h, config.Intermediate));
        return (l.Node("Add", [x, l.Linear(ffn, $"{name}.mlp.c_proj", config.Intermediate, h)]), (k, v));
    }

    private static Value Block(LayerBuilder l, Gpt2Config config, Value x, Value causal, string name)
    {
        var h = config.Hidden;
        var normed = l.LayerNorm(x, $"{name}.ln_1", h, LayerNormEpsilon);
        var qkv = l.Graph.Node("Split", [l.Linear(normed, $"{name}.attn.c_attn", h, 3 * h), l.Int64s(h, h, h)], 3, Attr.Int("axis", 2));
        var q = l.SplitHeads(qkv[0], config.Heads, config.HeadDim);
        var k = l.SplitHeads(qkv[1], config.Heads, config.HeadDim, transposeForKeys: true);
        var v = l.SplitHeads(qkv[2], config.Heads, config.HeadDim);

        var scores = l.Node("Where", [causal, l.AttentionScores(q, k, config.HeadDim), l.Scalar(MaskedScore)]);
        var context = l.MergeHeads(l.AttendValues(scores, v), h);
        x = l.Node("Add", [x, l.Linear(context, $"{name}.attn.c_proj", h, h)]);

        normed = l.LayerNorm(x, $"{name}.ln_2", h, LayerNormEpsilon);
        var ffn = l.GeluTanh(l.Linear(normed, $"{name}.mlp.c_fc", h, config.Intermediate));
        return l.Node("Add", [x, l.Linear(ffn, $"{name}.mlp.c_proj", config.Intermediate, h)]);
    }
}
