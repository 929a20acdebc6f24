using Silica.Onnx.Model;
using Silica.Optimization.Precision;
using Silica.Optimization.Tests.Support;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Precision;

public sealed class HalfPrecisionOcrTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(OcrCases.Detector)]
    [InlineData(OcrCases.Recognizer)]
    [InlineData(OcrCases.Classifier)]
    public void Fp16_OcrModel_CloseToFp32(string file)
    {
        var model = OrtCompare.Ocr(file);
        output.WriteLine($"opset {model.Opset} ir {model.IrVersion} inputs {string.Join(",", model.Graph.Inputs.Select(i => i.ToString()))} ops {string.Join(",", model.Graph.Nodes.GroupBy(n => n.OpType).Select(g => $"{g.Key}x{g.Count()}"))}");
        var inputs = OcrCases.Inputs(model, file);
        var reference = OrtCompare.Run(model, inputs);
        var report = HalfPrecisionConverter.Convert(model, new HalfPrecisionOptions(TensorDataType.Float16));
        output.WriteLine(report.ToString());
        output.WriteLine(string.Join(", ", report.ConvertedOps.Select(p => $"{p.Key} x{p.Value}")));
        output.WriteLine(string.Join(", ", report.Kept.GroupBy(k => (k.OpType, k.Reason)).Select(g => $"{g.Key.OpType} x{g.Count()} ({g.Key.Reason})")));
        var actual = OrtCompare.Run(model, inputs);
        for (var i = 0; i < reference.Count; i++)
        {
            output.WriteLine($"{reference[i].Name} {string.Join("x", reference[i].Shape)}: cosine {OrtCompare.Cosine(reference[i], actual[i]):F6}");
        }
    }
}
