using System.Buffers.Binary;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Silica.Onnx.Building;
using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Tests.Cuda.Planning;

public class CudaPlannerUnitTests
{
    [Fact]
    public void Plan_ShapeArithmetic_FoldsToAView()
    {
        var g = new GraphBuilder("fold", opset: 17);
        var x = g.Input("x", TensorDataType.Float, "batch", 4, 6);
        var n = g.Node("Gather", [g.Node("Shape", [x]), g.Graph.AddInitializer(TensorData.FromInt64s("zero", [], [0]))], Attr.Int("axis", 0));
        var target = g.Node("Concat", [g.Node("Unsqueeze", [n, g.ConstantInt64("axes", 0)]), g.ConstantInt64("rest", -1)], Attr.Int("axis", 0));
        g.Output(g.Node("Relu", [g.Node("Reshape", [x, target])]), "y");

        var plan = CudaPlanner.Plan(g.Build(), [[3, 4, 6]], new PlanOptions());

        var step = Assert.IsType<ElementwiseStep>(Assert.Single(plan.Steps));
        var input = plan[step.Inputs[0]];
        Assert.Equal(BufferKind.View, input.Kind);
        Assert.Equal([3, 24], input.Shape);
        Assert.Equal(plan.Inputs[0], input.ViewOf);
        Assert.DoesNotContain(plan.Buffers, b => b.Kind == BufferKind.Weight);
        Assert.Equal([3, 24], plan[plan.Outputs[0]].Shape);
    }

    [Fact]
    public void Plan_HardSwishChain_FusesIntoOneKernel()
    {
        var g = new GraphBuilder("hswish", opset: 17);
        var x = g.Input("x", TensorDataType.Float, 2, 8);
        var clip = g.Node("Clip", [g.Node("Add", [x, g.ScalarFloat("three", 3)]), g.ScalarFloat("lo", 0), g.ScalarFloat("hi", 6)]);
        g.Output(g.Node("Div", [g.Node("Mul", [x, clip]), g.ScalarFloat("six", 6)]), "y");

        var plan = CudaPlanner.Plan(g.Build(), [[2, 8]], new PlanOptions());

        var step = Assert.IsType<ElementwiseStep>(Assert.Single(plan.Steps));
        Assert.Equal([plan.Inputs[0]], step.Inputs);
        Assert.Equal(
            new BinaryExpr(BinaryOp.Div, new BinaryExpr(BinaryOp.Mul, new InputExpr(0),
                new ClipExpr(new BinaryExpr(BinaryOp.Add, new InputExpr(0), new ConstExpr(3)), 0, 6)), new ConstExpr(6)),
            step.Expr);
    }

    [Fact]
    public void Plan_ChainWithFusionOff_EmitsOneKernelPerNode()
    {
        var g = new GraphBuilder("chain", opset: 17);
        var x = g.Input("x", TensorDataType.Float, 2, 8);
        g.Output(g.Node("Sigmoid", [g.Node("Neg", [x])]), "y");

        var plan = CudaPlanner.Plan(g.Build(), [[2, 8]], new PlanOptions { FuseElementwise = false });

        Assert.Equal(2, plan.Steps.OfType<ElementwiseStep>().Count());
        PlanAssert.ArenaIsSound(plan);
    }

    [Fact]
    public void Plan_ConvBatchNorm_FoldedWeightsMatchOrtInDouble()
    {
        var g = new GraphBuilder("convbn", opset: 17, seed: 3);
        var x = g.Input("x", TensorDataType.Float, 1, 2, 5, 5);
        var conv = g.Node("Conv", [x, g.Weight("w", [3, 2, 3, 3]), g.Weight("b", [3], WeightFill.Small)], Attr.Ints("pads", 1, 1, 1, 1));
        var bn = g.Node("BatchNormalization", [conv, g.ConstantFloat("scale", [3], 1.5f, 0.5f, -2f), g.ConstantFloat("shift", [3], 0.1f, -0.2f, 0.3f),
            g.ConstantFloat("mean", [3], 0.05f, -0.1f, 0.2f), g.ConstantFloat("var", [3], 0.9f, 1.7f, 0.3f)], Attr.Float("epsilon", 1e-3f));
        g.Output(bn, "y");
        var model = g.Build();
        var input = Enumerable.Range(0, 50).Select(i => (float)Math.Sin(i * 0.37)).ToArray();

        var plan = CudaPlanner.Plan(model, [[1, 2, 5, 5]], new PlanOptions());

        var step = Assert.IsType<ConvStep>(Assert.Single(plan.Steps));
        Assert.Equal([1, 1, 1, 1], step.Pads);
        var w = Floats(plan[step.W].Data!);
        var bias = Floats(plan[step.Bias].Data!);
        var ours = Conv(input, w, bias, 2, 3, 5);
        using var session = new InferenceSession(model.ToBytes());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor("x", new DenseTensor<float>(input, [1, 2, 5, 5]))]);
        var expected = results[0].AsTensor<float>().ToArray();
        Assert.Equal(expected.Length, ours.Length);
        for (var i = 0; i < ours.Length; i++)
        {
            Assert.Equal(expected[i], ours[i], 1e-4);
        }
    }

    [Fact]
    public void Plan_Fp16Mlp_CastsAtTheBoundariesAndStoresWeightsAsHalf()
    {
        var plan = CudaPlanner.Plan(TestModels.Mlp(), [[4, 16]], new PlanOptions { Precision = Precision.Fp8 });

        var first = Assert.IsType<CastStep>(plan.Steps[0]);
        Assert.Equal(plan.Inputs[0], first.X);
        Assert.Equal(TensorDataType.Float16, plan[first.Y].Type);
        var last = Assert.IsType<CastStep>(plan.Steps[^1]);
        Assert.Equal(plan.Outputs[0], last.Y);
        var gemm = Assert.IsType<GemmStep>(Assert.Single(plan.Steps.Skip(1).SkipLast(1)));
        Assert.Equal(Activation.Relu, gemm.Activation);
        Assert.Equal(TensorDataType.Float16, plan[gemm.B].Type);
        Assert.Equal(16 * 8 * 2, plan[gemm.B].Data!.Length);
        Assert.Equal([gemm.B], ExecutionPlanInfo.Of(plan).Fp8Weights);
        Assert.Equal(TensorDataType.Float, plan[plan.Outputs[0]].Type);
        PlanAssert.ArenaIsSound(plan);
    }

    [Fact]
    public void Plan_UnsupportedOperator_ThrowsNamingNodeAndOp()
    {
        var g = new GraphBuilder("bad", opset: 17);
        var x = g.Input("x", TensorDataType.Float, 2, 3);
        g.Output(g.Node("Det", [g.Node("Relu", [x])]), "y");

        var e = Assert.Throws<PlanException>(() => CudaPlanner.Plan(g.Build(), [[2, 3]], new PlanOptions()));
        Assert.Contains("Det", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_DoesNotMutateTheCallersModel()
    {
        var model = TestModels.Mlp();
        var before = model.Graph.Outputs[0].Type!.ToString();

        CudaPlanner.Plan(model, [[5, 16]], new PlanOptions());

        Assert.Equal(before, model.Graph.Outputs[0].Type!.ToString());
        Assert.True(model.Graph.RuntimeInputs.Single().Type!.Shape![0].IsSymbolic);
    }

    private static float[] Floats(byte[] data) =>
        [.. Enumerable.Range(0, data.Length / 4).Select(i => BinaryPrimitives.ReadSingleLittleEndian(data.AsSpan(i * 4)))];

    /// <summary>A direct 3x3, pad 1, stride 1 NCHW convolution in double.</summary>
    private static double[] Conv(float[] x, float[] w, float[] bias, int cin, int cout, int size)
    {
        var y = new double[cout * size * size];
        for (var o = 0; o < cout; o++)
        {
            for (var r = 0; r < size; r++)
            {
                for (var c = 0; c < size; c++)
                {
                    double sum = bias[o];
                    for (var i = 0; i < cin; i++)
                    {
                        for (var kr = 0; kr < 3; kr++)
                        {
                            for (var kc = 0; kc < 3; kc++)
                            {
                                int rr = r + kr - 1, cc = c + kc - 1;
                                if (rr >= 0 && rr < size && cc >= 0 && cc < size)
                                {
                                    sum += (double)x[(((i * size) + rr) * size) + cc] * w[(((((o * cin) + i) * 3) + kr) * 3) + kc];
                                }
                            }
                        }
                    }
                    y[(((o * size) + r) * size) + c] = sum;
                }
            }
        }
        return y;
    }
}
