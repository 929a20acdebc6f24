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
    // KV-cache decoders name logits and every present tensor through an Identity; binding batch, seq, past_seq and
    // total_seq turns the position ids and the causal mask (Range, Add, Unsqueeze, LessOrEqual) into constants.
    [InlineData("gpt2-small", new[] { 0, 25, 0, 0, 0, 4 + 2 + 7 })]
    // Llama's rotary inverse frequencies are a constant chain (Range, Mul, Pow, Reciprocal) folded on the spot.
    [InlineData("llama-tiny", new[] { 4, 9, 0, 0, 0, 4 + 2 + 7 })]
    public void EveryPass_ZooModel_KeepsOutputs(string name, int[] expectedChanges)
    {
        var sample = ZooSamples.Get(name);
        var model = sample.Load();
        var reports = RunEveryPass(model, sample);
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
        var (inputs, reference, dims) = (sample.Inputs, sample.Reference, sample.Dims);
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
