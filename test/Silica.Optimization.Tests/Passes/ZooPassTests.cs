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

    [Theory]
    // Changes per pass, in chain order: fold-constants, eliminate-identity, eliminate-dead, fold-batchnorm, fuse-matmul-add, simplify-shapes.
    // Every zoo graph names its outputs through an Identity; simplify-shapes counts each bound symbol, each
    // Shape replaced and each node folded after it (BERT: Shape → Gather → Range of the position ids; GPT-2 also
    // the Unsqueeze → Concat → Slice of the causal mask).
    [InlineData("mlp", new[] { 0, 1, 0, 0, 0, 1 })]
    [InlineData("resnet50", new[] { 0, 1, 0, 53, 0, 1 })]
    [InlineData("mobilenetv2", new[] { 0, 1, 0, 52, 0, 1 })]
    [InlineData("bert-base", new[] { 0, 2, 0, 0, 0, 2 + 1 + 3 })]
    [InlineData("gpt2-small-prefill", new[] { 0, 1, 0, 0, 0, 2 + 1 + 6 })]
    public void EveryPass_ZooModel_KeepsOutputs(string name, int[] expectedChanges)
    {
        var model = OrtCompare.Zoo(name);
        var dims = name is "bert-base" or "gpt2-small-prefill" ? Seq16 : Batch1;
        var reports = RunEveryPass(model, dims, vocab: 1000);
        foreach (var r in reports)
        {
            output.WriteLine($"{r.Pass}: {r.Changes} | {string.Join(" | ", r.Details)}");
        }
        Assert.Equal(expectedChanges, reports.Take(6).Select(r => r.Changes));
        // The chain reached a fixed point: the pipeline afterwards finds nothing left to do.
        Assert.All(reports.Skip(6), r => Assert.Equal(0, r.Changes));
        Assert.DoesNotContain(model.Graph.Nodes, n => n.OpType is "BatchNormalization" or "Identity" or "Shape" or "Range");
        if (name == "gpt2-small-prefill")
        {
            // The tied LM head's Transpose of the 50257x768 embedding would store a second 154 MB copy: left alone, and said so.
            Assert.Contains(reports[0].Details, d => d.Contains("would grow the model", StringComparison.Ordinal) && d.Contains("154,389,504 bytes", StringComparison.Ordinal));
            Assert.Single(model.Graph.Nodes, n => n.OpType == "Transpose" && n.Input(0)!.IsInitializer);
            Assert.Contains("left 48 MatMul + Add pair(s) on N-D inputs (Gemm is 2-D only)", reports[4].Details);
        }
    }

    private static List<PassReport> RunEveryPass(OnnxModel model, ZooSample sample)
    {
        var model = OrtCompare.Zoo("gpt2-small-prefill");
        var fold = new FoldConstantsPass().Apply(model);
        // The tied LM head's Transpose of the 50257x768 embedding would store a second 154 MB copy: left alone.
        Assert.Contains(fold.Details, d => d.Contains("would grow the model", StringComparison.Ordinal) && d.Contains("154,389,504 bytes", StringComparison.Ordinal));
        Assert.Single(model.Graph.Nodes, n => n.OpType == "Transpose" && n.Input(0)!.IsInitializer);
        var fuse = new FuseMatMulAddPass().Apply(model);
        Assert.Equal(0, fuse.Changes);
        Assert.Contains("left 48 MatMul + Add pair(s) on N-D inputs (Gemm is 2-D only)", fuse.Details);
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
