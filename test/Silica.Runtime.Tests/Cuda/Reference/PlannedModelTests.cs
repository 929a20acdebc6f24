using Silica.Onnx.Model;
using Silica.Onnx.Zoo;
using Silica.Runtime.Cuda.Planning;
using Silica.Runtime.Cuda.Reference;
using static Silica.Runtime.Tests.Cuda.Reference.OrtReference;

namespace Silica.Runtime.Tests.Cuda.Reference;

/// <summary>End to end without a GPU: the planner's plan, run by the reference interpreter, against ONNX Runtime.</summary>
public sealed class PlannedModelTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ZooMlp_PlannedAndInterpreted_MatchesOnnxRuntime(bool checkArena)
    {
        const int Batch = 4;
        var model = ModelZoo.Build("mlp");
        var x = Values(Batch * 784, 1);
        var expected = Run(model, [(x, [Batch, 784])], [Batch, 10])[0];

        var plan = CudaPlanner.Plan(model, [[Batch, 784]], new PlanOptions());
        var outputs = new PlanInterpreter(plan, checkArena).Run([HostTensorMath.ToBytes(x, TensorDataType.Float)]);

        var actual = HostTensorMath.DecodeFloats(outputs[0], plan[plan.Outputs[0]].Type);
        AssertClose(expected, actual, 1e-4f);
        Assert.Contains(actual, v => v != 0);
    }
}
