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
}
