using Silica.Onnx.Zoo;
using Silica.Runtime.Backends;
using Silica.Runtime.Cuda.Engine.Fp8;
using Silica.Runtime.Cuda.Planning;

namespace Silica.Runtime.Tests.Cuda.Engine;

public class Fp8SelectionTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BertBase_KeepsQueryKeyAndResidualGemmsInHalf_QuantisesTheRest(bool fuseAttention)
    {
        var plan = CudaPlanner.Plan(ModelZoo.Build("bert-base"), [[2, 32], [2, 32], [2, 32]], new PlanOptions { Precision = Precision.Fp8, FuseAttention = fuseAttention });
        var weightGemms = plan.Steps.OfType<GemmStep>().Count(g => Fp8Weights.Eligible(g, plan));
        var selected = Fp8Selection.Select(plan);

        // 12 layers × (Q, K, V, output, FFN up, FFN down) weight GEMMs; Q, K and the two that write the residual
        // stream (output, FFN down) stay FP16.
        Assert.Equal(12 * 6, weightGemms);
        Assert.Equal(12 * 2, selected.Count);
        Assert.All(selected, g => Assert.True(g.Residual < 0));
    }

    [Theory]
    [InlineData(-3.5f)]
    [InlineData(0.001f)]
    [InlineData(447f)]
    [InlineData(1000f)]
    [InlineData(0.0137f)]
    public void E4M3_RoundTrip_IsWithinHalfAnUlp(float x)
    {
        var decoded = E4M3.Decode(E4M3.Encode(x));
        var expected = Math.Clamp(x, -E4M3.Max, E4M3.Max);
        // 3 mantissa bits: half an ulp is 1/16 of the value for normals; subnormals step by 2^-9.
        Assert.True(Math.Abs(decoded - expected) <= Math.Max(Math.Abs(expected) / 16, 1f / 1024), $"{x} → {decoded}");
    }
}
