using System.Globalization;
using Silica.Onnx.Zoo;

namespace Silica.Onnx.Tests.Zoo;

/// <summary>Deterministic inputs for zoo models; every batch row differs so rows can be told apart.</summary>
internal static class ZooInputs
{
    public const long BertVocab = 30522;
    public const long Gpt2Vocab = 50257;

    public static Dictionary<string, (long[] Shape, Array Data)> For(ZooModelInfo info, long batch, long seq) => info.Family switch
    {
        // "input float[batch,784]": the width is the documented input's last dimension.
        ZooModelFamily.Mlp => new() { ["input"] = Floats([batch, long.Parse(info.Inputs[(info.Inputs.LastIndexOf(',') + 1)..^1], CultureInfo.InvariantCulture)]) },
        ZooModelFamily.Cnn => new() { ["input"] = Floats([batch, 3, 224, 224]) },
        ZooModelFamily.Encoder => Encoder(batch, seq, Enumerable.Repeat(seq, (int)batch).ToArray()),
        ZooModelFamily.Decoder => new() { ["input_ids"] = TokenIds(batch, seq, Gpt2Vocab) },
        _ => throw new ArgumentOutOfRangeException(nameof(info)),
    };

    /// <summary>BERT inputs where row b attends to its first <paramref name="attended"/>[b] tokens only.</summary>
    public static Dictionary<string, (long[] Shape, Array Data)> Encoder(long batch, long seq, long[] attended)
    {
        var mask = new long[batch * seq];
        var types = new long[batch * seq];
        for (var b = 0; b < batch; b++)
        {
            for (var s = 0; s < seq; s++)
            {
                mask[b * seq + s] = s < attended[b] ? 1 : 0;
                types[b * seq + s] = s >= 4 ? 1 : 0;
            }
        }
        return new()
        {
            ["input_ids"] = TokenIds(batch, seq, BertVocab),
            ["attention_mask"] = ([batch, seq], mask),
            ["token_type_ids"] = ([batch, seq], types),
        };
    }

    /// <summary>Token ids that depend on the batch row and the position only (not on seq), so a shorter sequence is a prefix of a longer one.</summary>
    public static (long[] Shape, Array Data) TokenIds(long batch, long seq, long vocab)
    {
        var ids = new long[batch * seq];
        for (var b = 0; b < batch; b++)
        {
            for (var s = 0; s < seq; s++)
            {
                ids[b * seq + s] = (101 + b * 7919 + s * 104729) % vocab;
            }
        }
        return ([batch, seq], ids);
    }

    private static (long[] Shape, Array Data) Floats(long[] shape)
    {
        var data = new float[shape.Aggregate(1L, (a, b) => a * b)];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = MathF.Sin(i * 0.0137f) + 0.25f * MathF.Cos(i * 0.00071f);
        }
        return (shape, data);
    }
}
