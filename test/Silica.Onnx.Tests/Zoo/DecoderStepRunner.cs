using Silica.Onnx.Graph;
using Silica.Onnx.Zoo;

namespace Silica.Onnx.Tests.Zoo;

/// <summary>The outputs of one decoder step: logits [batch, seq, vocab] and each layer's present key and value.</summary>
internal sealed record DecoderStepResult(long Batch, long Seq, long Vocab, float[] Logits, OrtOutput[] Present)
{
    /// <summary>The logits of row <paramref name="b"/> at position <paramref name="s"/>.</summary>
    public ReadOnlySpan<float> At(long b, long s) => Logits.AsSpan((int)((b * Seq + s) * Vocab), (int)Vocab);
}

/// <summary>Drives a KV-cache zoo decoder in ONNX Runtime the way a generation loop does: prefill, then decode steps fed the present tensors.</summary>
internal sealed class DecoderStepRunner(string path, DecoderInfo info) : IDisposable
{
    private readonly OrtRunner _runner = new(path);

    public DecoderInfo Info { get; } = info;

    public static DecoderStepRunner ForZoo(string name)
    {
        var path = ModelZoo.GetOrCreateFile(name);
        var info = DecoderMetadata.TryRead(ModelZoo.Build(name, new ZooBuildOptions { WithWeights = false }))
            ?? throw new InvalidOperationException($"{name} is not a KV decoder");
        return new DecoderStepRunner(path, info);
    }

    /// <summary>
    /// One step: <paramref name="ids"/> [batch][seq], <paramref name="mask"/> [batch][past + seq] and
    /// <paramref name="positions"/> [batch][seq]; <paramref name="past"/> null means an empty cache.
    /// </summary>
    public DecoderStepResult Step(long[][] ids, long[][] mask, long[][] positions, OrtOutput[]? past = null)
    {
        var batch = ids.Length;
        var seq = ids[0].Length;
        var inputs = new Dictionary<string, (long[] Shape, Array Data)>
        {
            ["input_ids"] = ([batch, seq], ids.SelectMany(r => r).ToArray()),
            ["attention_mask"] = ([batch, mask[0].Length], mask.SelectMany(r => r).ToArray()),
            ["position_ids"] = ([batch, seq], positions.SelectMany(r => r).ToArray()),
        };
        for (var i = 0; i < Info.Layers; i++)
        {
            inputs[DecoderInfo.PastKeyName(i)] = past is null ? Empty(batch) : (past[2 * i].Shape, past[2 * i].Values);
            inputs[DecoderInfo.PastValueName(i)] = past is null ? Empty(batch) : (past[2 * i + 1].Shape, past[2 * i + 1].Values);
        }
        var outputs = _runner.Run(inputs);
        var logits = outputs.Single(o => o.Name == "logits");
        var present = new OrtOutput[2 * Info.Layers];
        for (var i = 0; i < Info.Layers; i++)
        {
            present[2 * i] = outputs.Single(o => o.Name == DecoderInfo.PresentKeyName(i));
            present[2 * i + 1] = outputs.Single(o => o.Name == DecoderInfo.PresentValueName(i));
        }
        return new DecoderStepResult(batch, seq, logits.Shape[2], logits.Values, present);
    }

    /// <summary>Prefill of unpadded rows: mask all ones, positions 0..seq-1.</summary>
    public DecoderStepResult Prefill(params long[][] ids) =>
        Step(ids, [.. ids.Select(r => Ones(r.Length))], [.. ids.Select(r => Range(0, r.Length))]);

    public static long[] Ones(int n) => [.. Enumerable.Repeat(1L, n)];

    public static long[] Range(long start, int count) => [.. Enumerable.Range(0, count).Select(i => start + i)];

    public static int ArgMax(ReadOnlySpan<float> values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
        {
            if (values[i] > values[best])
            {
                best = i;
            }
        }
        return best;
    }

    public void Dispose() => _runner.Dispose();

    private (long[] Shape, Array Data) Empty(long batch) => ([batch, Info.KvHeads, 0, Info.HeadDim], Array.Empty<float>());
}
