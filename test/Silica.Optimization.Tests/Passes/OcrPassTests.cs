using Silica.Optimization.Passes;
using Silica.Optimization.Tests.Support;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Passes;

public sealed class OcrPassTests(ITestOutputHelper output)
{
    private const double Rtol = 1e-4;

    [Theory]
    [InlineData(OcrCases.Detector)]
    [InlineData(OcrCases.Recognizer)]
    [InlineData(OcrCases.Classifier)]
    public void EveryPass_OcrModel_KeepsOutputs(string file)
    {
        var model = OrtCompare.Ocr(file);
        var inputs = OcrCases.Inputs(model, file);
        var reference = OrtCompare.Run(model, inputs);
        IGraphPass[] chain = [new FoldConstantsPass(), new EliminateIdentityPass(), new EliminateDeadPass(), new FoldBatchNormPass(), new FuseMatMulAddPass(), new SimplifyShapesPass(OcrCases.Bindings(model, file))];
        foreach (var pass in chain)
        {
            var report = pass.Apply(model);
            output.WriteLine($"{report.Pass}: {report.Changes} | {string.Join(" | ", report.Details)}");
            if (report.Changes > 0)
            {
                OrtCompare.AssertClose(reference, OrtCompare.Run(model, inputs), Rtol, context: pass.Name);
            }
        }
        foreach (var r in PassPipeline.Run(model, PassPipeline.Default))
        {
            output.WriteLine($"pipeline/{r.Pass}: {r.Changes} | {string.Join(" | ", r.Details)}");
        }
        OrtCompare.AssertClose(reference, OrtCompare.Run(model, inputs), Rtol, context: "pipeline");
        output.WriteLine($"ops after: {string.Join(",", model.Graph.Nodes.GroupBy(n => n.OpType).Select(g => $"{g.Key}x{g.Count()}"))}");
    }
}
