using Silica.Optimization.Passes;
using Silica.Optimization.Tests.Support;
using Xunit.Abstractions;

namespace Silica.Optimization.Tests.Passes;

/// <summary>
/// BERT-large (335 M parameters) gets one run of the whole pipeline at batch 1, sequence 16 and one comparison,
/// not a comparison per pass: its structure is BERT-base's twice over, which the per-pass test covers.
/// </summary>
public sealed class BertLargePassTests(ITestOutputHelper output)
{
    [Fact]
    public void Pipeline_BertLarge_KeepsOutputs()
    {
        var dims = new Dictionary<string, long> { ["batch"] = 1, ["seq"] = 16 };
        var model = OrtCompare.Zoo("bert-large");
        var inputs = OrtCompare.InputsFor(model, dims, vocab: 1000);
        var reference = OrtCompare.Run(model, inputs);
        var reports = PassPipeline.Run(model, [.. PassPipeline.Default, new SimplifyShapesPass(dims)]);
        foreach (var r in reports)
        {
            output.WriteLine($"{r.Pass}: {r.Changes} | {string.Join(" | ", r.Details)}");
        }
        OrtCompare.AssertClose(reference, OrtCompare.Run(model, inputs), 1e-4, context: "bert-large pipeline");
        Assert.Equal(2, reports.Single(r => r.Pass == "eliminate-identity").Changes);
        Assert.Contains("left 144 MatMul + Add pair(s) on N-D inputs (Gemm is 2-D only)", reports.Single(r => r.Pass == "fuse-matmul-add").Details);
        Assert.DoesNotContain(model.Graph.Nodes, n => n.OpType is "Identity" or "Shape" or "Range");
    }
}
