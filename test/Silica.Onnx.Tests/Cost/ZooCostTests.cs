using Silica.Onnx.Cost;
using Silica.Onnx.ShapeInference;
using Silica.Onnx.Tests.Zoo;
using Silica.Onnx.Zoo;

namespace Silica.Onnx.Tests.Cost;

/// <summary>The acceptance figures: ResNet-50 MACs and BERT parameters and FLOPs, from closed forms written here.</summary>
public sealed class ZooCostTests
{
    [Fact]
    public void Analyze_Resnet50Batch1_FourPointOneGigaMacs()
    {
        var model = ModelZoo.Build("resnet50", new ZooBuildOptions { WithWeights = false });
        var independent = ArchitectureCounts.CnnMacs(ModelZoo.Build("resnet50", new ZooBuildOptions { WithWeights = false }), 224, 224);
        ShapeInferencer.Infer(model, new Dictionary<string, long> { ["batch"] = 1 });

        var cost = CostModel.Analyze(model);

        Assert.Equal(0, cost.UnknownNodes);
        Assert.InRange(cost.Macs, 4.1e9 * 0.98, 4.1e9 * 1.02);
        var convAndGemm = cost.Nodes.Where(n => n.OpType is "Conv" or "Gemm").Sum(n => n.Flops) / 2;
        Assert.InRange(convAndGemm, independent * 0.995, independent * 1.005);
        // Trainable parameters plus the 2·C BatchNorm running statistics stored as initializers.
        var expected = ArchitectureCounts.ResNet50Published + 2 * ArchitectureCounts.ResNet50BatchNormChannels();
        Assert.InRange(cost.ParameterCount, expected * 0.995, expected * 1.005);
    }

    [Fact]
    public void Analyze_MobileNetV2Batch1_AboutThreeHundredMegaMacs()
    {
        var model = ModelZoo.Build("mobilenetv2", new ZooBuildOptions { WithWeights = false });
        ShapeInferencer.Infer(model, new Dictionary<string, long> { ["batch"] = 1 });

        var cost = CostModel.Analyze(model);

        // The published ~300 MMACs counts convolutions and the classifier; BatchNorm, Relu6 and residual adds add ~3%.
        var convAndGemm = cost.Nodes.Where(n => n.OpType is "Conv" or "Gemm").Sum(n => n.Flops) / 2;
        Assert.InRange(convAndGemm, 300e6 * 0.97, 300e6 * 1.03);
        Assert.InRange(cost.Macs, convAndGemm, convAndGemm * 1.05);
    }

    [Theory]
    [InlineData("bert-base", 12, 768, 3072, 128)]
    [InlineData("bert-base", 12, 768, 3072, 384)]
    [InlineData("bert-large", 24, 1024, 4096, 128)]
    public void Analyze_Bert_ParametersAndFlopsMatchClosedForm(string name, long layers, long h, long f, long s)
    {
        var model = ModelZoo.Build(name, new ZooBuildOptions { WithWeights = false });
        ShapeInferencer.Infer(model, new Dictionary<string, long> { ["batch"] = 1, ["seq"] = s });

        var cost = CostModel.Analyze(model);

        // Embeddings (word 30522, position 512, type 2) and their LayerNorm; per layer Q,K,V,O (4h²+4h), two LayerNorms (4h),
        // FFN (2hf + h + f); pooler (h² + h).
        var parameters = (30522 + 512 + 2) * h + 2 * h + layers * (4 * h * h + 4 * h + 4 * h + 2 * h * f + h + f) + h * h + h;
        Assert.InRange(cost.ParameterCount, parameters * 0.995, parameters * 1.01);
        // Matrix products: per layer the four projections 2·s·4h², the scores and the weighted sum 2·2·s²·h,
        // the FFN 2·2·s·h·f; plus the pooler 2·h² on the first token.
        var gemm = layers * (2.0 * s * 4 * h * h + 2.0 * 2 * s * s * h + 2.0 * 2 * s * h * f) + 2.0 * h * h;
        var gemmCounted = cost.ByOpClass()[OpClass.Gemm].Flops;
        Assert.InRange(gemmCounted, gemm * 0.99, gemm * 1.01);
        Assert.InRange(cost.Flops, gemm * 0.98, gemm * 1.02);
        if (name == "bert-base")
        {
            Assert.InRange(cost.ParameterCount, 108e6, 112e6);
        }
    }
}
