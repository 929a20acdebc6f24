using Silica.Onnx.Model;
using Silica.Optimization.Precision;
using Silica.Optimization.Tests.Support;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Precision;

public sealed class HalfPrecisionZooTests(ITestOutputHelper output)
{
    private static readonly Dictionary<string, long> Batch1 = new() { ["batch"] = 1 };
    private static readonly Dictionary<string, long> Seq16 = new() { ["batch"] = 1, ["seq"] = 16 };

    [Theory]
    [InlineData("mlp")]
    [InlineData("resnet50")]
    [InlineData("mobilenetv2")]
    [InlineData("bert-base")]
    [InlineData("gpt2-small")]
    public void Fp16_ZooModel_CloseToFp32(string name)
    {
        var model = OrtCompare.Zoo(name);
        var dims = name.StartsWith("bert", StringComparison.Ordinal) || name.StartsWith("gpt2", StringComparison.Ordinal) ? Seq16 : Batch1;
        var inputs = OrtCompare.InputsFor(model, dims);
        var reference = OrtCompare.Run(model, inputs);
        var report = HalfPrecisionConverter.Convert(model, new HalfPrecisionOptions(TensorDataType.Float16));
        output.WriteLine(report.ToString());
        output.WriteLine(string.Join(", ", report.ConvertedOps.Select(p => $"{p.Key} x{p.Value}")));
        output.WriteLine(string.Join(", ", report.Kept.GroupBy(k => (k.OpType, k.Reason)).Select(g => $"{g.Key.OpType} x{g.Count()} ({g.Key.Reason})")));
        var actual = OrtCompare.Run(model, inputs);
        for (var i = 0; i < reference.Count; i++)
        {
            output.WriteLine($"{reference[i].Name}: cosine {OrtCompare.Cosine(reference[i], actual[i]):F6}");
        }
    }
}
