using Silica.Onnx.Model;
using Silica.Optimization.Precision;
using Silica.Optimization.Tests.Support;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Precision;

/// <summary>
/// FP16 on the three PaddleOCR models under ONNX Runtime's CPU provider (which runs FP16 nodes lacking an FP16
/// kernel through its own inserted Casts), fed text-like images.
/// </summary>
public sealed class HalfPrecisionOcrTests(ITestOutputHelper output)
{
    [Theory]
    // Paddle's decomposed LayerNorm (7 nodes x5) and the Softmaxes stay FP32 in rec; det's last BatchNormalization
    // has running statistics above 65504, so it stays FP32 rather than being clamped.
    [InlineData(OcrCases.Detector, "Resize x6 (in the keep list), BatchNormalization x1 (a constant input exceeds the float16 range)")]
    [InlineData(OcrCases.Recognizer, "ReduceMean x10 (decomposed LayerNorm or RMSNorm), Sub x5 (decomposed LayerNorm or RMSNorm), Pow x5 (decomposed LayerNorm or RMSNorm), Add x5 (decomposed LayerNorm or RMSNorm), Sqrt x5 (decomposed LayerNorm or RMSNorm), Div x5 (decomposed LayerNorm or RMSNorm), Softmax x3 (in the keep list)")]
    [InlineData(OcrCases.Classifier, "Softmax x1 (in the keep list)")]
    public void Fp16_OcrModel_CloseToFp32(string file, string kept)
    {
        var model = OrtCompare.Ocr(file);
        var inputs = OcrCases.Inputs(model, file);
        var reference = OrtCompare.Run(model, inputs);
        var report = HalfPrecisionConverter.Convert(model, new HalfPrecisionOptions(TensorDataType.Float16));
        output.WriteLine(report.ToString());
        var actual = OrtCompare.Run(model, inputs);
        var cosine = OrtCompare.Cosine(reference[0], actual[0]);
        output.WriteLine($"{reference[0].Name} {string.Join("x", reference[0].Shape)}: cosine {cosine:F6}");

        Assert.True(cosine >= 0.999, $"cosine {cosine}");
        Assert.Equal(kept, string.Join(", ", report.Kept.GroupBy(k => (k.OpType, k.Reason)).Select(g => $"{g.Key.OpType} x{g.Count()} ({g.Key.Reason})")));
        Assert.InRange((double)report.SizeAfterBytes / report.SizeBeforeBytes, 0.49, 0.52);
        CastChecks.AssertNoCancellingPairs(model);
    }

    [Fact]
    public void Fp16_Recognizer_DecodedArgmaxAgrees()
    {
        var model = OrtCompare.Ocr(OcrCases.Recognizer);
        var fp32 = model.ToBytes();
        HalfPrecisionConverter.Convert(model, new HalfPrecisionOptions(TensorDataType.Float16));
        var fp16 = model.ToBytes();
        int steps = 0, agree = 0, sameText = 0;
        const int Images = 4;
        for (var seed = 0; seed < Images; seed++)
        {
            OrtInput[] input = [TextLikeImage.Create(model.Graph.RuntimeInputs.Single().Name, [1, 3, 48, 320], detector: false, seed)];
            var a = Argmax(OrtCompare.Run(fp32, input)[0]);
            var b = Argmax(OrtCompare.Run(fp16, input)[0]);
            steps += a.Length;
            agree += a.Zip(b).Count(p => p.First == p.Second);
            sameText += CtcGreedy(a).SequenceEqual(CtcGreedy(b)) ? 1 : 0;
        }
        output.WriteLine($"per-step argmax agreement {agree}/{steps}, decoded sequences equal {sameText}/{Images}");
        Assert.True(agree >= 0.97 * steps, $"argmax agreement {agree}/{steps}");
        Assert.True(sameText >= Images - 1, $"decoded sequences equal {sameText}/{Images}");
    }

    /// <summary>The class of each time step of a [1, T, classes] output.</summary>
    private static int[] Argmax(OrtOutput o)
    {
        var (t, c) = ((int)o.Shape[1], (int)o.Shape[2]);
        var result = new int[t];
        for (var i = 0; i < t; i++)
        {
            var row = o.Values.AsSpan(i * c, c);
            result[i] = row.IndexOf(System.Linq.Enumerable.Max(row.ToArray()));
        }
        return result;
    }

    /// <summary>CTC greedy decoding: merge repeats, drop the blank (class 0).</summary>
    private static List<int> CtcGreedy(int[] classes)
    {
        var text = new List<int>();
        for (var i = 0; i < classes.Length; i++)
        {
            if (classes[i] != 0 && (i == 0 || classes[i] != classes[i - 1]))
            {
                text.Add(classes[i]);
            }
        }
        return text;
    }
}
