using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;
using Silica.Optimization.Passes;
using Silica.Optimization.Tests.Support;

namespace Silica.Optimization.Tests.Passes;

/// <summary>The passes' edge cases on small hand-built graphs, each run under ONNX Runtime before and after.</summary>
public sealed class SmallGraphPassTests
{
    [Fact]
    public void EliminateIdentity_NoOps_RemovedAndOutputNameKept()
    {
        var b = new GraphBuilder("noops");
        var x = b.Input("x", TensorDataType.Float, 2, 3);
        var y = b.Node("Cast", [x], Attr.Int("to", (long)TensorDataType.Float));
        y = b.Node("Transpose", [y], Attr.Ints("perm", 0, 1));
        y = b.Node("Reshape", [y, b.ConstantInt64("shape", 0, -1)]);
        y = b.Node("Dropout", [y]);
        y = b.Node("Relu", [y]);
        b.Output(y, "z"); // through an Identity
        var model = b.Build();
        var (report, _) = ApplyAndCompare(model, new EliminateIdentityPass());

        Assert.Equal(5, report.Changes);
        Assert.Equal(["Relu"], model.Graph.Nodes.Select(n => n.OpType));
        Assert.Equal("z", model.Graph.Outputs.Single().Name);
    }

    [Fact]
    public void EliminateIdentity_DropoutMaskUsedOrRealReshape_Kept()
    {
        var b = new GraphBuilder("kept");
        var x = b.Input("x", TensorDataType.Float, 2, 3);
        var dropout = b.Node("Dropout", [x], 2);
        var reshaped = b.Node("Reshape", [dropout[0], b.ConstantInt64("shape", 3, 2)]);
        b.Output(reshaped, "y");
        b.Output(b.Node("Cast", [dropout[1]], Attr.Int("to", (long)TensorDataType.Float)), "mask");
        var model = b.Build();
        var (report, _) = ApplyAndCompare(model, new EliminateIdentityPass());
        Assert.Equal(["removed Identity x2"], report.Details); // the two output-naming Identities only
        Assert.Equal(["Dropout", "Reshape", "Cast"], model.Graph.Nodes.Select(n => n.OpType));
        Assert.Equal(["y", "mask"], model.Graph.Outputs.Select(o => o.Name));
    }

    [Fact]
    public void FoldConstants_ConstantChains_BecomeOneInitializer()
    {
        var b = new GraphBuilder("chain", opset: 17);
        var x = b.Input("x", TensorDataType.Float, 2, 3);
        var g = b.Graph;
        var c = g.AddNode("Constant", [], ["c"], [Attr.Tensor("value", TensorData.FromFloats("", [3], [1f, 2f, 3f]))]).Output(0)!;
        var shape = b.Node("Shape", [x]);
        var ones = b.Node("ConstantOfShape", [shape], Attr.Tensor("value", TensorData.FromFloats("", [1], [0.5f])));
        var scaled = b.Node("Mul", [b.Node("Add", [c, b.ScalarFloat("one", 1f)]), b.ScalarFloat("two", 2f)]);
        b.Output(b.Node("Add", [b.Node("Mul", [x, ones]), scaled]));
        var model = b.Build();
        var (report, _) = ApplyAndCompare(model, new FoldConstantsPass());

        Assert.Contains("turned 1 Constant node(s) into initializers", report.Details);
        Assert.Contains("replaced Shape x1 of static shapes by constants", report.Details);
        Assert.Equal(["Mul", "Add"], model.Graph.Nodes.Select(n => n.OpType));
        // Constant → initializer (1), Shape → constant (1), ConstantOfShape + Add + Mul evaluated (3).
        Assert.Equal(5, report.Changes);
        new EliminateDeadPass().Apply(model);
        Assert.Equal(2, model.Graph.Initializers.Count);
    }

    [Fact]
    public void FoldConstants_RandomAndHugeExpansion_NotFolded()
    {
        var b = new GraphBuilder("random", opset: 17);
        var x = b.Input("x", TensorDataType.Float, 1024, 1024);
        var noise = b.Node("RandomNormal", [], Attr.Ints("shape", 1024, 1024), Attr.Float("scale", 0f));
        var zeros = b.Node("ConstantOfShape", [b.ConstantInt64("dims", 1024, 1024)], Attr.Tensor("value", TensorData.FromFloats("", [1], [1f])));
        b.Output(b.Node("Add", [b.Node("Mul", [x, zeros]), noise]), "y");
        var model = b.Build();
        var report = new FoldConstantsPass().Apply(model);
        Assert.Equal(0, report.Changes);
        Assert.Contains(report.Details, d => d.Contains("ConstantOfShape, 4,194,304 bytes", StringComparison.Ordinal));
        Assert.Contains(model.Graph.Nodes, n => n.OpType == "RandomNormal");
    }

    [Fact]
    public void FuseMatMulAdd_TwoD_BecomesGemm_ThreeD_Left()
    {
        var b = new GraphBuilder("linear");
        var x2 = b.Input("x2", TensorDataType.Float, 4, 8);
        var x3 = b.Input("x3", TensorDataType.Float, 2, 4, 8);
        var w = b.Weight("w", [8, 5]);
        var bias = b.Weight("b", [5], WeightFill.Small);
        b.Output(b.Node("Add", [bias, b.Node("MatMul", [x2, w])]), "y2");
        b.Output(b.Node("Add", [b.Node("MatMul", [x3, w]), bias]), "y3");
        var model = b.Build();
        Silica.Onnx.ShapeInference.ShapeInferencer.Infer(model);
        var (report, _) = ApplyAndCompare(model, new FuseMatMulAddPass());

        Assert.Equal(1, report.Changes);
        Assert.Equal(["fused 1 MatMul + Add pair(s) on 2-D inputs into Gemm", "left 1 MatMul + Add pair(s) on N-D inputs (Gemm is 2-D only)"], report.Details);
        Assert.Equal(1, model.Graph.Nodes.Count(n => n.OpType == "Gemm"));
        Assert.Equal(["y2", "y3"], model.Graph.Outputs.Select(o => o.Name));
    }

    [Fact]
    public void EliminateDead_UnusedChainAndInitializer_Removed()
    {
        var b = new GraphBuilder("dead");
        var x = b.Input("x", TensorDataType.Float, 2, 3);
        var unused = b.Weight("unused", [3]);
        b.Node("Relu", [b.Node("Add", [x, unused])]);
        b.Weight("orphan", [100]);
        b.Output(b.Node("Sigmoid", [x]));
        var model = b.Build();
        var (report, _) = ApplyAndCompare(model, new EliminateDeadPass());
        Assert.Equal(4, report.Changes);
        Assert.Equal(["Sigmoid"], model.Graph.Nodes.Select(n => n.OpType));
        Assert.Empty(model.Graph.Initializers);
    }

    [Fact]
    public void SimplifyShapes_UnboundBatch_FoldsTheKnownDimensionOnly()
    {
        var b = new GraphBuilder("partial");
        var x = b.Input("x", TensorDataType.Float, "batch", 6);
        var shape = b.Node("Shape", [x]);
        var last = b.Node("Gather", [shape, b.ConstantInt64("index", 1)], Attr.Int("axis", 0));
        var target = b.Node("Concat", [b.ConstantInt64("minus1", -1), b.ConstantInt64("two", 2), b.Node("Div", [last, b.ConstantInt64("twoagain", 2)])], Attr.Int("axis", 0));
        b.Output(b.Node("Reshape", [x, target]));
        var model = b.Build();
        var (report, inputs) = ApplyAndCompare(model, new SimplifyShapesPass(), new Dictionary<string, long> { ["batch"] = 3 });
        Assert.Contains("replaced Gather x1 of known dimensions by constants", report.Details);
        new EliminateDeadPass().Apply(model);
        Assert.Equal(["Reshape"], model.Graph.Nodes.Select(n => n.OpType));
        // Still dynamic in batch: another batch size runs.
        var other = OrtCompare.InputsFor(model, new Dictionary<string, long> { ["batch"] = 5 });
        Assert.Equal([5L, 2, 3], OrtCompare.Run(model, other).Single().Shape);
        Assert.Equal([3L, 2, 3], OrtCompare.Run(model, inputs).Single().Shape);
    }

    private static (PassReport Report, IReadOnlyList<OrtInput> Inputs) ApplyAndCompare(OnnxModel model, IGraphPass pass, Dictionary<string, long>? dims = null)
    {
        var inputs = OrtCompare.InputsFor(model, dims ?? []);
        var reference = OrtCompare.Run(model, inputs);
        var report = pass.Apply(model);
        OrtCompare.AssertClose(reference, OrtCompare.Run(model, inputs), 1e-6, context: pass.Name);
        return (report, inputs);
    }
}
