using System.Buffers.Binary;
using System.Numerics.Tensors;

namespace Silica.Serving.OpenAi;

/// <summary>
/// Sentence embeddings from an encoder's last hidden state: the mean over the tokens the attention mask keeps
/// (sentence-transformers' mean pooling), then L2-normalized so a dot product is the cosine similarity.
/// </summary>
internal static class EmbeddingPooling
{
    /// <summary>Pools one sequence of <paramref name="hiddenState"/> ([seq, hidden] little-endian FP32 bytes) under <paramref name="mask"/>.</summary>
    public static float[] MeanNormalized(ReadOnlySpan<byte> hiddenState, ReadOnlySpan<long> mask, int hidden)
    {
        var seq = mask.Length;
        if (hiddenState.Length != (long)seq * hidden * sizeof(float))
        {
            throw new InvalidOperationException($"last_hidden_state has {hiddenState.Length} bytes; expected [{seq}, {hidden}] floats");
        }
        var sum = new float[hidden];
        var row = new float[hidden];
        var kept = 0;
        for (var t = 0; t < seq; t++)
        {
            if (mask[t] == 0)
            {
                continue;
            }
            var bytes = hiddenState.Slice(t * hidden * sizeof(float), hidden * sizeof(float));
            for (var h = 0; h < hidden; h++)
            {
                row[h] = BinaryPrimitives.ReadSingleLittleEndian(bytes[(h * sizeof(float))..]);
            }
            TensorPrimitives.Add(sum, row, sum);
            kept++;
        }
        if (kept > 0)
        {
            TensorPrimitives.Divide(sum, kept, sum);
        }
        var norm = TensorPrimitives.Norm(sum);
        if (norm > 0)
        {
            TensorPrimitives.Divide(sum, norm, sum);
        }
        return sum;
    }

    /// <summary>OpenAI's <c>encoding_format: base64</c>: the little-endian float32 bytes, base64-encoded.</summary>
    public static string Base64(float[] embedding)
    {
        var bytes = new byte[embedding.Length * sizeof(float)];
        for (var i = 0; i < embedding.Length; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(i * sizeof(float)), embedding[i]);
        }
        return Convert.ToBase64String(bytes);
    }
}
