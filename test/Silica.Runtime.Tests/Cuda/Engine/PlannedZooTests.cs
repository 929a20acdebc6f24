using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Zoo;
using Silica.Runtime.Backends;
using Silica.Runtime.Backends.Cpu;
using Silica.Runtime.Cuda.Planning;
using Silica.Runtime.Cuda.Reference;
using Silica.Runtime.Tensors;
using Xunit.Abstractions;

namespace Silica.Runtime.Tests.Cuda.Engine;

/// <summary>
/// The zoo models the GPU engine must run, planned (with and without attention fusion, in FP32 and FP16) and executed
/// by the reference interpreter, against ONNX Runtime: the lowering is right before any kernel runs on a GPU.
/// </summary>
public class PlannedZooTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("resnet50", "fp32", false)]
    [InlineData("bert-base", "fp32", false)]
    [InlineData("bert-base", "fp32", true)]
    [InlineData("bert-base", "fp16", true)]
    [InlineData("gpt2-small-prefill", "fp32", false)]
    [InlineData("gpt2-small-prefill", "fp32", true)]
    [InlineData("mobilenetv2", "fp16", false)]
    [InlineData("mobilenetv2", "bf16", false)]
    public void ZooModel_PlannedAndInterpreted_MatchesOnnxRuntime(string name, string precision, bool fuseAttention)
    {
        var model = ModelZoo.Build(name);
        var inputs = model.Graph.RuntimeInputs.Select(v => v.Type!.ElementType == TensorDataType.Int64
            ? Tensor.FromArray(Enumerable.Range(0, 2 * 16).Select(i => v.Name.Contains("mask", StringComparison.Ordinal) ? (i % 16 < 12 ? 1L : 0L) : v.Name.Contains("type", StringComparison.Ordinal) ? i % 2 : (i * 37L) % 1000).ToArray(), [2, 16])
            : Tensor.FromArray(Enumerable.Range(0, 3 * 224 * 224).Select(i => MathF.Sin(i * 0.37f)).ToArray(), [1, 3, 224, 224])).ToList();
        var p = precision switch { "fp16" => Precision.Fp16, "bf16" => Precision.Bf16, _ => Precision.Fp32 };
        var plan = CudaPlanner.Plan(model, [.. inputs.Select(t => t.Shape.ToArray())], new PlanOptions { Precision = p, FuseAttention = fuseAttention });
        var actual = new PlanInterpreter(plan, checkArena: true).Run([.. inputs.Select(t => t.Bytes.ToArray())]);

        using var cpu = new CpuBackend().CreateSession(model, new SessionOptions { DimensionBindings = Bindings(model, inputs) });
        var outputs = plan.Outputs.Select(id => Tensor.Allocate(model.Graph.Outputs[plan.Outputs.ToList().IndexOf(id)].Type!.ElementType, plan[id].Shape)).ToArray();
        cpu.Run([.. inputs], outputs);
        for (var i = 0; i < outputs.Length; i++)
        {
            var expected = outputs[i].AsFloats().ToArray();
            var got = HostTensorMath.DecodeFloats(actual[i], plan[plan.Outputs[i]].Type);
            var scale = expected.Max(MathF.Abs);
            var err = expected.Zip(got, (a, b) => MathF.Abs(a - b)).Max() / scale;
            output.WriteLine($"{name} {precision} attention-fused={fuseAttention}: output {i} max error {err:E2} of max |y| {scale:G3}; {plan.Steps.Count} steps");
            Assert.True(err < (p == Precision.Fp32 ? 1e-3 : 3e-2), $"output {i}: relative error {err:E2}");
        }
    }

    private static Dictionary<string, long> Bindings(OnnxModel model, List<Tensor> inputs)
    {
        var bindings = new Dictionary<string, long>();
        var runtime = model.Graph.RuntimeInputs.ToList();
        for (var i = 0; i < runtime.Count; i++)
        {
            var shape = runtime[i].Type!.Shape!;
            for (var d = 0; d < shape.Rank; d++)
            {
                if (shape[d].IsSymbolic)
                {
                    bindings[shape[d].Symbol!] = inputs[i].Shape[d];
                }
            }
        }
        return bindings;
    }
}
