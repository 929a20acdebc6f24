using Silica.Optimization.Passes;
using Silica.Optimization.Tests.Support;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Passes;

public sealed class OcrPassTests(ITestOutputHelper output)
{
    private const double Rtol = 1e-4;

    [Theory]
    // Paddle keeps weights in Constant nodes (det 342, rec 325, cls 250) and casts shape values with Cast nodes;
    // det has two BatchNormalizations after Conv and one after ConvTranspose + bias Add; cls ends in a 2-D MatMul + Add.
    [InlineData(OcrCases.Detector, new[] { 342, 0, 0, 3, 0, 3 })]
    [InlineData(OcrCases.Recognizer, new[] { 325 + 15, 0, 0, 6, 0, 2 + 4 + 18 })]
    [InlineData(OcrCases.Classifier, new[] { 250 + 1, 0, 0, 35, 1, 3 + 1 + 4 })]
    public void EveryPass_OcrModel_KeepsOutputs(string file, int[] expectedChanges)
    {
        var model = OrtCompare.Ocr(file);
        var inputs = OcrCases.Inputs(model, file);
        var reference = OrtCompare.Run(model, inputs);
        var changes = new List<int>();
        IGraphPass[] chain = [new FoldConstantsPass(), new EliminateIdentityPass(), new EliminateDeadPass(), new FoldBatchNormPass(), new FuseMatMulAddPass(), new SimplifyShapesPass(OcrCases.Bindings(model, file))];
        foreach (var pass in chain)
        {
            var report = pass.Apply(model);
            changes.Add(report.Changes);
            output.WriteLine($"{report.Pass}: {report.Changes} | {string.Join(" | ", report.Details)}");
            if (report.Changes > 0)
            {
                OrtCompare.AssertClose(reference, OrtCompare.Run(model, inputs), Rtol, context: pass.Name);
            }
        }
        foreach (var r in PassPipeline.Run(model, PassPipeline.Default))
        {
            output.WriteLine($"pipeline/{r.Pass}: {r.Changes} | {string.Join(" | ", r.Details)}");
            Assert.Equal(0, r.Changes);
        }
        Assert.Equal(expectedChanges, changes);
        Assert.DoesNotContain(model.Graph.Nodes, n => n.OpType is "Constant" or "Shape" or "BatchNormalization");
        OrtCompare.AssertClose(reference, OrtCompare.Run(model, inputs), Rtol, context: "pipeline");
        output.WriteLine($"ops after: {string.Join(",", model.Graph.Nodes.GroupBy(n => n.OpType).Select(g => $"{g.Key}x{g.Count()}"))}");
    }
}
