using Silica.Onnx.Zoo;
using Silica.Runtime.Backends;
using Silica.Runtime.Cuda.Planning;
using Xunit.Abstractions;

namespace Silica.Runtime.Tests.Cuda.Engine;

public class PlanPrintTests(ITestOutputHelper output)
{
    [Fact]
    public void Print()
    {
        var plan = CudaPlanner.Plan(ModelZoo.Build("bert-base"), [[64, 128], [64, 128], [64, 128]], new PlanOptions { Precision = Precision.Fp16 });
        foreach (var s in plan.Steps.Take(40))
        {
            var y = plan[StepBuffers.Writes(s)];
            output.WriteLine($"{s.GetType().Name} {s.Name} -> {y.Type}[{string.Join(',', y.Shape)}] {(s is GemmStep g ? $"alpha={g.Alpha} act={g.Activation} bias={g.Bias} res={g.Residual} batch={g.BatchCount}" : s is ElementwiseStep e ? e.Expr.ToString() : "")}");
        }
    }
}
