using System.Diagnostics;
using Silica.Onnx.Zoo;
using Xunit.Abstractions;

namespace Silica.Onnx.Tests.Zoo;

/// <summary>Runs the weighted zoo models in ONNX Runtime: the graphs are valid ONNX and really compute.</summary>
[Collection(ZooCollection.Name)]
public sealed class ModelZooRunTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("mlp")]
    [InlineData("mlp-tiny")]
    [InlineData("resnet50")]
    [InlineData("mobilenetv2")]
    [InlineData("bert-base")]
    [InlineData("gpt2-small-prefill")]
    public void Run_WeightedModelInOrt_OutputsHaveDocumentedShapesAndAreFinite(string name)
    {
        var info = ModelZoo.Find(name)!;
        var watch = Stopwatch.StartNew();
        var path = ModelZoo.GetOrCreateFile(name);
        output.WriteLine($"{name}: built and saved in {watch.Elapsed.TotalSeconds:F1} s ({new FileInfo(path).Length / 1e6:F0} MB)");

        using var runner = new OrtRunner(path);
        Assert.Equal(ExpectedOutputNames(info), runner.OutputNames);
        var seqs = info.Family is ZooModelFamily.Encoder or ZooModelFamily.Decoder ? new long[] { 8, 16 } : [0];
        foreach (var batch in new long[] { 1, 2 })
        {
            foreach (var seq in seqs)
            {
                var outputs = runner.Run(ZooInputs.For(info, batch, seq));
                foreach (var o in outputs)
                {
                    Assert.Equal(ExpectedShape(info, o.Name, batch, seq), o.Shape);
                    Assert.All(o.Values, v => Assert.True(float.IsFinite(v), $"{o.Name} holds {v}"));
                    Assert.True(o.Values.Max() - o.Values.Min() > 1e-3f, $"{o.Name} is constant");
                    if (batch == 2)
                    {
                        var half = o.Values.Length / 2;
                        Assert.False(o.Values.AsSpan(0, half).SequenceEqual(o.Values.AsSpan(half)), $"{o.Name}: both rows equal");
                    }
                }
            }
        }
        output.WriteLine($"{name}: total {watch.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void Run_Gpt2PrefixOfLongerPrompt_LogitsMatchShortPrompt()
    {
        // With a correct causal mask, positions 0..7 cannot see tokens 8..15.
        using var runner = new OrtRunner(ModelZoo.GetOrCreateFile("gpt2-small-prefill"));
        var info = ModelZoo.Find("gpt2-small-prefill")!;
        var shortRun = runner.Run(ZooInputs.For(info, 1, 8))[0].Values;
        var longRun = runner.Run(ZooInputs.For(info, 1, 16))[0].Values;
        AssertClose(shortRun, longRun.AsSpan(0, shortRun.Length), 1e-3f);
    }

    [Fact]
    public void Run_BertWithPaddingMasked_AttendedTokensMatchUnpaddedRun()
    {
        // With a correct attention mask, padded positions 8..15 do not change positions 0..7.
        using var runner = new OrtRunner(ModelZoo.GetOrCreateFile("bert-base"));
        var unpadded = runner.Run(ZooInputs.Encoder(1, 8, [8]))[0].Values;
        var padded = runner.Run(ZooInputs.Encoder(1, 16, [8]))[0].Values;
        AssertClose(unpadded, padded.AsSpan(0, unpadded.Length), 1e-3f);
        var unmasked = runner.Run(ZooInputs.Encoder(1, 16, [16]))[0].Values;
        Assert.True(MaxDifference(unpadded, unmasked.AsSpan(0, unpadded.Length)) > 1e-2f, "the mask had no effect");
    }

    [SlowFact]
    public void Run_WeightedBertLargeAtSeq8_OutputsFinite()
    {
        var watch = Stopwatch.StartNew();
        var path = ModelZoo.GetOrCreateFile("bert-large");
        output.WriteLine($"bert-large: built and saved in {watch.Elapsed.TotalSeconds:F1} s");
        using var runner = new OrtRunner(path);
        var outputs = runner.Run(ZooInputs.For(ModelZoo.Find("bert-large")!, 1, 8));
        Assert.Equal([1L, 8, 1024], outputs[0].Shape);
        Assert.Equal([1L, 1024], outputs[1].Shape);
        Assert.All(outputs, o => Assert.All(o.Values, v => Assert.True(float.IsFinite(v))));
        Assert.True(outputs[0].Values.Max() - outputs[0].Values.Min() > 1e-3f);
        output.WriteLine($"bert-large: total {watch.Elapsed.TotalSeconds:F1} s");
    }

    private static string[] ExpectedOutputNames(ZooModelInfo info) => info.Family switch
    {
        ZooModelFamily.Encoder => ["last_hidden_state", "pooler_output"],
        ZooModelFamily.Decoder => ["logits"],
        _ => ["output"],
    };

    private static long[] ExpectedShape(ZooModelInfo info, string output, long batch, long seq) => (info.Family, output) switch
    {
        (ZooModelFamily.Mlp, _) => [batch, 10],
        (ZooModelFamily.Cnn, _) => [batch, 1000],
        (ZooModelFamily.Encoder, "last_hidden_state") => [batch, seq, 768],
        (ZooModelFamily.Encoder, _) => [batch, 768],
        _ => [batch, seq, 50257],
    };

    private static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance)
    {
        var diff = MaxDifference(expected, actual);
        Assert.True(diff <= tolerance, $"max difference {diff} exceeds {tolerance}");
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
