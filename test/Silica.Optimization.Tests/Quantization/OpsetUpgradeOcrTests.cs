using Silica.Onnx.Graph;
using Silica.Optimization.Quantization;
using Silica.Optimization.Tests.Support;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Quantization;

/// <summary>
/// The opset upgrade alone on the three PaddleOCR models (det opset 11, rec and cls opset 9) and the zoo: ONNX Runtime
/// gives the upgraded model the original's outputs, and every node that crossed an interface change was rewritten.
/// </summary>
public sealed class OpsetUpgradeOcrTests(ITestOutputHelper output)
{
    // Exact up to kernel differences: the rewritten nodes compute the same arithmetic, but ORT may pick another
    // kernel version (e.g. Softmax-13's) whose summation order differs by an ulp.
    private const double Rtol = 1e-5;

    [Theory]
    [InlineData(OcrCases.Detector, 19)]
    [InlineData(OcrCases.Recognizer, 19)]
    [InlineData(OcrCases.Classifier, 19)]
    [InlineData(OcrCases.Recognizer, 13)]
    [InlineData(OcrCases.Classifier, 11)]
    [InlineData(OcrCases.Recognizer, 10)]
    public void Upgrade_OcrModel_KeepsOrtOutputs(string file, int target)
    {
        var model = OrtCompare.Ocr(file);
        var from = model.Opset;
        var inputs = OcrCases.Inputs(model, file);
        var reference = OrtCompare.Run(model, inputs);

        var note = OpsetUpgrade.To(model, target, "test");

        Assert.Equal(target, model.Opset);
        Assert.Equal(target >= 19 ? 9 : 8, model.IrVersion); // the Paddle exports declare IR 8; opset 19 needs 9
        Assert.NotNull(note);
        var worst = OrtCompare.AssertClose(reference, OrtCompare.Run(model, inputs), Rtol, context: $"{file} opset {from} -> {target}");
        output.WriteLine($"{note}; worst relative difference {worst:G3}");
        var nodes = model.Graph.Nodes;
        if (target >= 11)
        {
            Assert.DoesNotContain(nodes, n => n.OpType == "Clip" && (n.Attributes.Has("min") || n.Attributes.Has("max")));
        }
        if (target >= 13)
        {
            Assert.DoesNotContain(nodes, n => n.OpType == "Squeeze" && n.Attributes.Has("axes"));
            Assert.All(nodes.Where(n => n.OpType == "Softmax"), n => Assert.Equal(-1, n.Attributes.GetInt("axis", 1)));
        }
        if (target >= 18)
        {
            Assert.DoesNotContain(nodes, n => n.OpType.StartsWith("Reduce", StringComparison.Ordinal) && n.Attributes.Has("axes"));
        }
        Assert.DoesNotContain(nodes, n => n.OpType == "Slice" && n.Attributes.Has("starts"));
    }

    [Theory]
    [InlineData("resnet50")]
    [InlineData("mobilenetv2")]
    [InlineData("llama")] // Split (num_outputs at 18), ReduceMean (axes input at 18), Range, Where, rotary Sin/Cos
    public void Upgrade_ZooModel_KeepsOrtOutputs(string name)
    {
        var model = QuantTestData.Zoo(name);
        var dims = new Dictionary<string, long> { ["batch"] = 1, ["seq"] = 4, ["past_seq"] = 3, ["total_seq"] = 7 };
        var inputs = OrtCompare.InputsFor(model, dims);
        var reference = OrtCompare.Run(model, inputs);

        var note = OpsetUpgrade.To(model, 19, "test");

        output.WriteLine(note);
        OrtCompare.AssertClose(reference, OrtCompare.Run(model, inputs), Rtol, context: name);
    }
}
