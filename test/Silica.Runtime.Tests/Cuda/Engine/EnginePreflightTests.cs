using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Zoo;
using Silica.Runtime.Backends;
using Silica.Runtime.Cuda.Engine;
using Silica.Runtime.Cuda.Kernels;
using Silica.Runtime.Cuda.Planning;
using Silica.Runtime.Tests.Cuda.Kernels;
using Silica.Tests;
using Xunit.Abstractions;

namespace Silica.Runtime.Tests.Cuda.Engine;

/// <summary>
/// Everything the engine does before touching a GPU, over the real models: every planned step has an implementation
/// (a library op or an emitted kernel), and every CUDA source the engine would compile for them passes the clang
/// syntax check. A model that would fail on the GPU for want of a kernel fails here first.
/// </summary>
public class EnginePreflightTests(ITestOutputHelper output)
{
    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var model in new[] { "zoo:mlp", "zoo:resnet50", "zoo:mobilenetv2", "zoo:bert-base", "zoo:gpt2-small-prefill",
            "ch_PP-OCRv4_det_infer.onnx", "ch_PP-OCRv4_rec_infer.onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx" })
        {
            foreach (var precision in new[] { "fp32", "fp16", "bf16" })
            {
                data.Add(model, precision);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void EveryStep_HasAnImplementation_AndItsKernelsPassSyntaxCheck(string name, string precision)
    {
        var (model, shapes) = Load(name);
        var p = precision switch { "fp16" => Precision.Fp16, "bf16" => Precision.Bf16, _ => Precision.Fp32 };
        var plan = CudaPlanner.Plan(model, shapes, new PlanOptions { Precision = p });
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var step in plan.Steps)
        {
            IReadOnlyList<KernelLaunch> launches = step switch
            {
                GemmStep or ConvStep or ConvTransposeStep or CopyStep => CompiledPlan.EngineKernels(step, plan),
                _ when KernelEmitter.Handles(step) => KernelEmitter.Emit(step, plan),
                _ => throw new Xunit.Sdk.XunitException($"no implementation for {step}"),
            };
            foreach (var l in launches)
            {
                Assert.True(l.Grid.X > 0 && l.Grid.Y > 0 && l.Grid.Z > 0, $"{step.Name}: empty grid");
                sources.TryAdd(l.Source, $"{step.GetType().Name}-{l.Entry}");
            }
        }
        output.WriteLine($"{name} {precision}: {plan.Steps.Count} steps, {sources.Count} distinct kernel sources, arena {plan.ArenaBytes >> 20} MiB");
        if (!File.Exists("/usr/bin/clang-14"))
        {
            output.WriteLine("Skipped the syntax check: /usr/bin/clang-14 is not installed.");
            return;
        }
        var dir = Directory.CreateTempSubdirectory("silica-preflight-");
        try
        {
            var failures = new List<string>();
            var i = 0;
            foreach (var (source, label) in sources)
            {
                var file = Path.Combine(dir.FullName, $"k{i++}.cu");
                File.WriteAllText(file, source);
                var (code, errors) = KernelSyntaxTests.RunClang(file);
                if (code != 0)
                {
                    failures.Add($"{label}:\n{errors}");
                }
            }
            Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(3)));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    private static (OnnxModel Model, IReadOnlyList<long[]> Shapes) Load(string name)
    {
        if (name.StartsWith("zoo:", StringComparison.Ordinal))
        {
            var model = ModelZoo.Build(name[4..]);
            var shapes = model.Graph.RuntimeInputs.Select(v => v.Type!.ElementType == TensorDataType.Int64
                ? new long[] { 2, 32 }
                : [2, .. v.Type.Shape!.Skip(1).Select(d => d.KnownValue)]).ToList();
            return (model, shapes);
        }
        long[] shape = name.Contains("det", StringComparison.Ordinal) ? [1, 3, 320, 320]
            : name.Contains("rec", StringComparison.Ordinal) ? [1, 3, 48, 320] : [1, 3, 48, 192];
        return (OnnxModel.Load(TestData.OcrModel(name)), [shape]);
    }
}
