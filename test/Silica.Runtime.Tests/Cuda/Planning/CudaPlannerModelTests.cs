using Silica.Onnx.Graph;
using Silica.Onnx.Zoo;
using Silica.Runtime.Backends;
using Silica.Runtime.Cuda.Planning;
using Silica.Tests;

namespace Silica.Runtime.Tests.Cuda.Planning;

/// <summary>Plans real models (the zoo and the PaddleOCR files) and checks shapes against ONNX Runtime and the arena.</summary>
public class CudaPlannerModelTests
{
    private const long Seq = 16;

    public static TheoryData<string, int> ZooCases => new()
    {
        { "mlp", 1 }, { "mlp", 4 }, { "resnet50", 1 }, { "resnet50", 4 }, { "mobilenetv2", 1 }, { "mobilenetv2", 4 },
        { "bert-base", 1 }, { "bert-base", 4 }, { "gpt2-small-prefill", 1 }, { "gpt2-small-prefill", 4 },
    };

    public static TheoryData<string, long[]> OcrCases => new()
    {
        { "ch_PP-OCRv4_det_infer.onnx", [1, 3, 320, 320] },
        { "ch_PP-OCRv4_rec_infer.onnx", [1, 3, 48, 320] },
        { "ch_ppocr_mobile_v2.0_cls_infer.onnx", [1, 3, 48, 192] },
    };

    [Theory]
    [MemberData(nameof(ZooCases))]
    public void Plan_ZooModel_MatchesOrtShapesInFp32AndFp16(string name, int batch)
    {
        var model = ModelZoo.Build(name);
        var shapes = model.Graph.RuntimeInputs.Select(v => v.Type!.Shape!.Rank == 2 && v.Type.ElementType == Silica.Onnx.Model.TensorDataType.Int64
            ? new long[] { batch, Seq }
            : [batch, .. v.Type.Shape!.Skip(1).Select(d => d.KnownValue)]).ToList();
        PlanAndCompare(model, shapes);
    }

    [Theory]
    [MemberData(nameof(OcrCases))]
    public void Plan_OcrModel_MatchesOrtShapesInFp32AndFp16(string file, long[] shape)
    {
        var model = OnnxModel.Load(TestData.OcrModel(file));
        PlanAndCompare(model, [shape]);
    }

    [Fact]
    public void Plan_ResNet50_FoldsEveryBatchNormIntoItsConv()
    {
        var plan = CudaPlanner.Plan(ModelZoo.Build("resnet50"), [[1, 3, 224, 224]], new PlanOptions());

        Assert.Equal(53, plan.Steps.OfType<ConvStep>().Count());
        Assert.DoesNotContain(plan.Steps.OfType<ElementwiseStep>(), s => s.Name.Contains("BatchNorm", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(plan.Steps.OfType<ConvStep>(), s => s.Residual >= 0 && s.Activation == Activation.Relu);
    }

    [Fact]
    public void Plan_BertBase_FusesGeluErfIntoGemmEpilogues()
    {
        var plan = CudaPlanner.Plan(ModelZoo.Build("bert-base"), [[1, Seq], [1, Seq], [1, Seq]], new PlanOptions());

        Assert.Equal(12, plan.Steps.OfType<GemmStep>().Count(g => g.Activation == Activation.GeluErf && g.Bias >= 0));
        Assert.Equal(25, plan.Steps.OfType<LayerNormStep>().Count());
    }

    [Fact]
    public void Plan_BertBaseWithFuseAttention_Emits12AttentionSteps()
    {
        var plan = CudaPlanner.Plan(ModelZoo.Build("bert-base"), [[2, Seq], [2, Seq], [2, Seq]], new PlanOptions { FuseAttention = true });

        var attention = plan.Steps.OfType<AttentionStep>().ToList();
        Assert.Equal(12, attention.Count);
        Assert.All(attention, a =>
        {
            Assert.True(a.OutputBshd);
            Assert.True(a.Mask >= 0);
            Assert.Equal(1 / MathF.Sqrt(64), a.Scale, 1e-6f);
            Assert.Equal([Seq * 768, 64, 768, 1], a.QStrides);
        });
        Assert.Empty(plan.Steps.OfType<SoftmaxStep>());
        PlanAssert.ArenaIsSound(plan);
    }

    [Fact]
    public void Plan_Gpt2WithFuseAttention_FoldsTheMaskToCausal()
    {
        var plan = CudaPlanner.Plan(ModelZoo.Build("gpt2-small-prefill"), [[1, Seq]], new PlanOptions { FuseAttention = true });

        var attention = plan.Steps.OfType<AttentionStep>().ToList();
        Assert.Equal(12, attention.Count);
        Assert.All(attention, a => Assert.True(a.Causal));
    }

    private static void PlanAndCompare(OnnxModel model, List<long[]> shapes)
    {
        var expected = OrtShapes.OutputShapes(model, shapes);
        foreach (var precision in new[] { Precision.Fp32, Precision.Fp16 })
        {
            var plan = CudaPlanner.Plan(model, shapes, new PlanOptions { Precision = precision });

            Assert.Equal(expected.Count, plan.Outputs.Count);
            for (var i = 0; i < expected.Count; i++)
            {
                Assert.Equal(expected[i], plan[plan.Outputs[i]].Shape);
                Assert.Equal(Silica.Onnx.Model.TensorDataType.Float, plan[plan.Outputs[i]].Type);
            }
            PlanAssert.ArenaIsSound(plan);
            Assert.Equal(precision, ExecutionPlanInfo.Of(plan).Precision);
        }
    }
}
