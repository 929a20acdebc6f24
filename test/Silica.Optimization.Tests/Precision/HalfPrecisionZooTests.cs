using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Optimization.Precision;
using Silica.Optimization.Tests.Support;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Precision;

/// <summary>
/// FP16 conversion of every zoo model under ONNX Runtime's CPU provider: each output keeps cosine similarity
/// ≥ 0.999 with the FP32 original, the weights halve, and the Casts are exactly the boundaries of the kept
/// regions (one in and one out per kept node here, plus the graph edges).
/// </summary>
public sealed class HalfPrecisionZooTests(ITestOutputHelper output)
{
    [Theory]
    // model, kept nodes, Casts: 2 per kept node (in and out) + one per graph output computed in FP16 + one per FP32 input into FP16
    [InlineData("mlp", 0, 2)]
    [InlineData("resnet50", 0, 2)]
    [InlineData("mobilenetv2", 0, 2)]
    [InlineData("bert-base", 25 + 12, (2 * 37) + 1)] // LayerNorm x25, Softmax x12; last_hidden_state leaves a kept LayerNorm, pooler_output needs a Cast
    [InlineData("gpt2-small-prefill", 25 + 12 + 12, (2 * 49) + 1)] // + the GELU Pow x12
    // KV-cache decoders: the 24 past tensors come in as FP32 (one Cast each) and logits + 24 presents leave as FP32.
    [InlineData("gpt2-small", 49, (2 * 49) + 24 + 25)]
    // RMSNorm x9 as 6 nodes each, Softmax x4, and the rotary frequencies' Range and Pow (constants until fold-constants
    // runs): 2 Casts per norm and softmax, 8 past + 9 outputs, and 3 around the rotary chain.
    [InlineData("llama-tiny", (9 * 6) + 4 + 2, (2 * 13) + 8 + 9 + 3)]
    public void Fp16_ZooModel_CloseToFp32(string name, int kept, int casts)
    {
        var sample = ZooSamples.Get(name);
        var (model, inputs, reference) = (sample.Load(), sample.Inputs, sample.Reference);
        var originalCasts = model.Graph.Nodes.Count(n => n.OpType == "Cast");

        var report = HalfPrecisionConverter.Convert(model, new HalfPrecisionOptions(TensorDataType.Float16));
        output.WriteLine(report.ToString());
        output.WriteLine(string.Join(", ", report.Kept.GroupBy(k => (k.OpType, k.Reason)).Select(g => $"{g.Key.OpType} x{g.Count()} ({g.Key.Reason})")));

        var actual = OrtCompare.Run(model, inputs);
        for (var i = 0; i < reference.Count; i++)
        {
            var cosine = OrtCompare.Cosine(reference[i], actual[i]);
            output.WriteLine($"{reference[i].Name}: cosine {cosine:F6}");
            Assert.True(cosine >= 0.999, $"{name} {reference[i].Name}: cosine {cosine}");
        }
        Assert.Equal(kept, report.Kept.Count);
        Assert.Equal(casts, report.CastsInserted);
        Assert.Equal(casts, model.Graph.Nodes.Count(n => n.OpType == "Cast") - originalCasts);
        Assert.InRange((double)report.SizeAfterBytes / report.SizeBeforeBytes, 0.49, 0.51);
        Assert.All(model.Graph.Inputs.Concat(model.Graph.Outputs).Where(v => !v.IsInitializer), v => Assert.NotEqual(TensorDataType.Float16, v.Type!.ElementType));
        CastChecks.AssertNoCancellingPairs(model);
    }

    [Fact]
    public void Fp16_KeepIoTypesFalse_InputsAndOutputsBecomeHalf()
    {
        var sample = ZooSamples.Get("mlp");
        var (model, inputs, reference) = (sample.Load(), sample.Inputs, sample.Reference);
        var report = HalfPrecisionConverter.Convert(model, new HalfPrecisionOptions(TensorDataType.Float16, KeepIoTypes: false));
        Assert.Equal(TensorDataType.Float16, model.Graph.RuntimeInputs.Single().Type!.ElementType);
        Assert.Equal(TensorDataType.Float16, model.Graph.Outputs.Single().Type!.ElementType);
        Assert.Equal(0, report.CastsInserted);
        var actual = OrtCompare.Run(model, inputs);
        Assert.True(OrtCompare.Cosine(reference[0], actual[0]) >= 0.999);
    }

    [Fact]
    public void Fp16_EditedKeepListAndKeepNodes_KeepThoseInFloat()
    {
        var sample = ZooSamples.Get("mlp");
        var (model, inputs, reference) = (sample.Load(), sample.Inputs, sample.Reference);
        var gemms = model.Graph.Nodes.Where(n => n.OpType == "Gemm").Select(n => n.Name).ToList();
        var keepOps = new HashSet<string>(HalfPrecisionOptions.DefaultKeepOpTypes) { "Relu" };
        var report = HalfPrecisionConverter.Convert(model, new HalfPrecisionOptions(TensorDataType.Float16, keepOps, new HashSet<string> { gemms[^1] }));

        Assert.Equal(2, report.Kept.Count(k => k.OpType == "Relu" && k.Reason == "in the keep list"));
        Assert.Equal(gemms[^1], Assert.Single(report.Kept, k => k.Reason == "kept by name").Node);
        Assert.Equal(2, report.ConvertedOps["Gemm"]);
        // The last Gemm's weights stay FP32: the model shrinks by less than half.
        Assert.InRange((double)report.SizeAfterBytes / report.SizeBeforeBytes, 0.501, 0.99);
        var actual = OrtCompare.Run(model, inputs);
        Assert.True(OrtCompare.Cosine(reference[0], actual[0]) >= 0.999);
        CastChecks.AssertNoCancellingPairs(model);
    }

    [Fact]
    public void Convert_TargetNotHalf_Throws()
    {
        var model = ZooSamples.Get("mlp").Load();
        var e = Assert.Throws<ArgumentException>(() => HalfPrecisionConverter.Convert(model, new HalfPrecisionOptions(TensorDataType.Int8)));
        Assert.Contains("int8", e.Message, StringComparison.Ordinal);
    }
}

/// <summary>Structural checks on converted graphs.</summary>
internal static class CastChecks
{
    /// <summary>No Cast reads another Cast's output and undoes it (half → float → half, or the reverse).</summary>
    public static void AssertNoCancellingPairs(OnnxModel model)
    {
        foreach (var cast in model.Graph.Nodes.Where(n => n.OpType == "Cast"))
        {
            if (cast.Input(0)?.Producer is { OpType: "Cast" } inner && inner.Input(0)?.Type is { } source)
            {
                Assert.NotEqual((long)source.ElementType, cast.Attributes.GetInt("to", 0));
            }
        }
    }
}
