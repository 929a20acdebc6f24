using Silica.Onnx.Zoo;
using Xunit.Abstractions;

namespace Silica.Onnx.Tests.Zoo;

/// <summary>
/// The KV-cache decoders under ONNX Runtime: a decode step fed the present tensors equals a longer prefill,
/// padding (left or right) changes nothing for the real tokens, and the synthetic weights give varied tokens.
/// </summary>
[Collection(ZooCollection.Name)]
public sealed class DecoderKvCacheTests(ITestOutputHelper output)
{
    private const float Tolerance = 1e-4f;

    // Token ids spread over the GPT-2 vocabulary ("Hello world, this is Silica" and some filler).
    private static readonly long[] Prompt = [15496, 995, 11, 428, 318, 311, 30997, 13, 383, 2068];

    [Theory]
    [InlineData("gpt2-small")]
    [InlineData("llama-tiny")]
    public void DecodeStep_WithPresentFromPrefill_MatchesLongerPrefillAtLastPosition(string name)
    {
        using var runner = DecoderStepRunner.ForZoo(name);
        const int n = 7;
        var prefill = runner.Prefill(Prompt[..n]);
        Assert.All(prefill.Present, p => Assert.Equal(n, p.Shape[2]));

        var decode = runner.Step([[Prompt[n]]], [DecoderStepRunner.Ones(n + 1)], [[n]], prefill.Present);
        var full = runner.Prefill(Prompt[..(n + 1)]);

        Assert.Equal([1L, 1, runner.Info.Vocab!.Value], new[] { decode.Batch, decode.Seq, decode.Vocab });
        var difference = MaxDifference(decode.At(0, 0), full.At(0, n));
        output.WriteLine($"{name}: max |decode - prefill| = {difference:E2}");
        Assert.InRange(difference, 0, Tolerance);
        for (var i = 0; i < decode.Present.Length; i++)
        {
            Assert.Equal(n + 1, decode.Present[i].Shape[2]);
            Assert.InRange(MaxDifference(decode.Present[i].Values, full.Present[i].Values), 0, Tolerance);
        }
    }

    [Theory]
    [InlineData("gpt2-small")]
    [InlineData("llama-tiny")]
    public void Step_LeftPaddedBatchThenDecode_EachRowMatchesItsOwnRun(string name)
    {
        using var runner = DecoderStepRunner.ForZoo(name);
        long[] shortRow = Prompt[..5];
        long[] longRow = Prompt[2..10];
        const int pad = 3;

        // Row 0 is left-padded with 3 pad tokens; its positions start at 0 on its first real token.
        long[][] ids = [[0, 0, 0, .. shortRow], longRow];
        long[][] mask = [[0, 0, 0, 1, 1, 1, 1, 1], DecoderStepRunner.Ones(8)];
        long[][] positions = [[0, 0, 0, 0, 1, 2, 3, 4], DecoderStepRunner.Range(0, 8)];
        var batched = runner.Step(ids, mask, positions);
        var aloneShort = runner.Prefill(shortRow);
        var aloneLong = runner.Prefill(longRow);
        for (var s = 0; s < shortRow.Length; s++)
        {
            Assert.InRange(MaxDifference(batched.At(0, pad + s), aloneShort.At(0, s)), 0, Tolerance);
        }
        for (var s = 0; s < longRow.Length; s++)
        {
            Assert.InRange(MaxDifference(batched.At(1, s), aloneLong.At(0, s)), 0, Tolerance);
        }

        // One decode step for both rows over the padded cache.
        long[] next = [Prompt[5], 50];
        var batchedStep = runner.Step([[next[0]], [next[1]]], [[.. mask[0], 1], DecoderStepRunner.Ones(9)], [[5], [8]], batched.Present);
        var shortStep = runner.Step([[next[0]]], [DecoderStepRunner.Ones(6)], [[5]], aloneShort.Present);
        var longStep = runner.Step([[next[1]]], [DecoderStepRunner.Ones(9)], [[8]], aloneLong.Present);
        var d0 = MaxDifference(batchedStep.At(0, 0), shortStep.At(0, 0));
        var d1 = MaxDifference(batchedStep.At(1, 0), longStep.At(0, 0));
        output.WriteLine($"{name}: padded batch vs alone after decode: {d0:E2}, {d1:E2}");
        Assert.InRange(d0, 0, Tolerance);
        Assert.InRange(d1, 0, Tolerance);
    }

    [Theory]
    [InlineData("gpt2-small")]
    [InlineData("llama-tiny")]
    public void Step_RightPaddedBatch_RealPositionsMatchUnpaddedRun(string name)
    {
        using var runner = DecoderStepRunner.ForZoo(name);
        long[] shortRow = Prompt[..5];
        var batched = runner.Step(
            [[.. shortRow, 0, 0, 0], Prompt[..8]],
            [[1, 1, 1, 1, 1, 0, 0, 0], DecoderStepRunner.Ones(8)],
            [DecoderStepRunner.Range(0, 8), DecoderStepRunner.Range(0, 8)]);
        var alone = runner.Prefill(shortRow);
        for (var s = 0; s < shortRow.Length; s++)
        {
            Assert.InRange(MaxDifference(batched.At(0, s), alone.At(0, s)), 0, Tolerance);
        }

        // Causality already hides the trailing pads from the prefill, so check the mask on a decode step,
        // whose query would see the padded cache slots if the mask were ignored.
        var masked = runner.Step([[7]], [[1, 1, 1, 1, 1, 0, 0, 0, 1]], [[5]], [.. batched.Present.Select(p => Row(p, 0))]);
        var unmasked = runner.Step([[7]], [DecoderStepRunner.Ones(9)], [[5]], [.. batched.Present.Select(p => Row(p, 0))]);
        var reference = runner.Step([[7]], [DecoderStepRunner.Ones(6)], [[5]], alone.Present);
        Assert.InRange(MaxDifference(masked.At(0, 0), reference.At(0, 0)), 0, Tolerance);
        Assert.True(MaxDifference(unmasked.At(0, 0), reference.At(0, 0)) > 1e-3f, "the attention mask had no effect");
    }

    [Theory]
    [InlineData("gpt2-small")]
    [InlineData("llama-tiny")]
    public void GreedyDecode_SyntheticWeights_FiniteAndNotAConstantToken(string name)
    {
        using var runner = DecoderStepRunner.ForZoo(name);
        var step = runner.Prefill(Prompt[..4]);
        Assert.All(step.Logits, v => Assert.True(float.IsFinite(v), $"logit {v}"));
        var prefillArgmax = Enumerable.Range(0, 4).Select(s => DecoderStepRunner.ArgMax(step.At(0, s))).ToArray();
        Assert.True(prefillArgmax.Distinct().Count() > 1, $"every position predicts {prefillArgmax[0]}");

        var tokens = new List<long>();
        var length = 4;
        for (var i = 0; i < 12; i++)
        {
            var next = DecoderStepRunner.ArgMax(step.At(0, step.Seq - 1));
            tokens.Add(next);
            step = runner.Step([[next]], [DecoderStepRunner.Ones(length + 1)], [[length]], step.Present);
            length++;
            Assert.All(step.Logits, v => Assert.True(float.IsFinite(v), $"logit {v}"));
        }
        output.WriteLine($"{name}: greedy tokens {string.Join(' ', tokens)}");
        Assert.True(tokens.Distinct().Count() >= 3, $"greedy decoding repeats {string.Join(' ', tokens)}");
    }

    private static OrtOutput Row(OrtOutput batched, int row)
    {
        var rowSize = batched.Values.Length / (int)batched.Shape[0];
        return batched with { Shape = [1, .. batched.Shape[1..]], Values = batched.Values.AsSpan(row * rowSize, rowSize).ToArray() };
    }

    private static float MaxDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        var max = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            max = MathF.Max(max, MathF.Abs(a[i] - b[i]));
        }
        return max;
    }
}
