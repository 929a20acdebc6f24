using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;

namespace Silica.Onnx.Zoo;

/// <summary>The sizes that define a BERT encoder (Devlin et al. 2018).</summary>
internal sealed record BertConfig(string Name, int Layers, long Hidden, long Heads, long Intermediate)
{
    public const long Vocab = 30522;
    public const long MaxPositions = 512;
    public const long TokenTypes = 2;

    public static BertConfig Base { get; } = new("bert-base", 12, 768, 12, 3072);

    public static BertConfig Large { get; } = new("bert-large", 24, 1024, 16, 4096);

    public long HeadDim => Hidden / Heads;
}

/// <summary>
/// A BERT encoder node for node as Hugging Face's <c>BertModel</c> exports through torch.onnx at opset 17:
/// Gather embeddings, LayerNormalization, per-head Reshape/Transpose attention with the additive
/// (1 - mask) * -10000 mask, Erf GELU, and the Tanh pooler over the first token.
/// </summary>
internal static class Bert
{
    private const float LayerNormEpsilon = 1e-12f;

    public static OnnxModel Build(BertConfig config, ZooBuildOptions options)
    {
        var l = new LayerBuilder(config.Name, options);
        var g = l.Graph;
        var inputIds = g.Input("input_ids", TensorDataType.Int64, "batch", "seq");
        var attentionMask = g.Input("attention_mask", TensorDataType.Int64, "batch", "seq");
        var tokenTypeIds = g.Input("token_type_ids", TensorDataType.Int64, "batch", "seq");

        var x = Embeddings(l, config, inputIds, tokenTypeIds);
        var maskBias = AdditiveMask(l, attentionMask);
        for (var i = 0; i < config.Layers; i++)
        {
            x = Layer(l, config, x, maskBias, $"encoder.layer.{i}");
        }

        // Pooler: the hidden state of the first ([CLS]) token through Linear + Tanh.
        var first = l.Node("Gather", [x, l.Int64Scalar(0)], Attr.Int("axis", 1));
        var pooled = l.Node("Tanh", [l.Gemm(first, "pooler.dense", config.Hidden, config.Hidden)]);

        g.Output(x, "last_hidden_state", new TensorType(TensorDataType.Float, new TensorShape("batch", "seq", config.Hidden)));
        g.Output(pooled, "pooler_output", new TensorType(TensorDataType.Float, new TensorShape("batch", config.Hidden)));
        return g.Build();
    }

    private static Value Embeddings(LayerBuilder l, BertConfig config, Value inputIds, Value tokenTypeIds)
    {
        var g = l.Graph;
        var words = g.Weight("embeddings.word_embeddings.weight", [BertConfig.Vocab, config.Hidden], WeightFill.Small);
        var positions = g.Weight("embeddings.position_embeddings.weight", [BertConfig.MaxPositions, config.Hidden], WeightFill.Small);
        var types = g.Weight("embeddings.token_type_embeddings.weight", [BertConfig.TokenTypes, config.Hidden], WeightFill.Small);

        var positionIds = l.PositionIds(l.SequenceLength(inputIds));
        var x = l.Node("Add", [l.Node("Gather", [words, inputIds]), l.Node("Gather", [types, tokenTypeIds])]);
        x = l.Node("Add", [x, l.Node("Gather", [positions, positionIds])]);
        return l.LayerNorm(x, "embeddings.LayerNorm", config.Hidden, LayerNormEpsilon);
    }

    /// <summary>[batch, seq] 1/0 mask to a [batch, 1, 1, seq] bias: 0 where attended, -10000 where padded.</summary>
    private static Value AdditiveMask(LayerBuilder l, Value attentionMask)
    {
        var mask = l.Node("Cast", [l.Node("Unsqueeze", [attentionMask, l.Int64s(1, 2)])], Attr.Int("to", (long)TensorDataType.Float));
        return l.Node("Mul", [l.Node("Sub", [l.Scalar(1f), mask]), l.Scalar(-10000f)]);
    }

    private static Value Layer(LayerBuilder l, BertConfig config, Value x, Value maskBias, string name)
    {
        var h = config.Hidden;
        var q = l.SplitHeads(l.Linear(x, $"{name}.attention.self.query", h, h), config.Heads, config.HeadDim);
        var k = l.SplitHeads(l.Linear(x, $"{name}.attention.self.key", h, h), config.Heads, config.HeadDim, transposeForKeys: true);
        var v = l.SplitHeads(l.Linear(x, $"{name}.attention.self.value", h, h), config.Heads, config.HeadDim);

        var scores = l.Node("Add", [l.AttentionScores(q, k, config.HeadDim), maskBias]);
        var context = l.MergeHeads(l.AttendValues(scores, v), h);
        var attention = l.Linear(context, $"{name}.attention.output.dense", h, h);
        x = l.LayerNorm(l.Node("Add", [attention, x]), $"{name}.attention.output.LayerNorm", h, LayerNormEpsilon);

        var ffn = l.GeluErf(l.Linear(x, $"{name}.intermediate.dense", h, config.Intermediate));
        ffn = l.Linear(ffn, $"{name}.output.dense", config.Intermediate, h);
        return l.LayerNorm(l.Node("Add", [ffn, x]), $"{name}.output.LayerNorm", h, LayerNormEpsilon);
    }
}
