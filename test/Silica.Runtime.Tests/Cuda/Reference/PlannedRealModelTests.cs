using System.Diagnostics;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Zoo;
using Silica.Runtime.Cuda.Planning;
using Silica.Runtime.Cuda.Reference;
using Silica.Tests;
using Xunit.Abstractions;
using static Silica.Runtime.Tests.Cuda.Reference.OrtReference;

namespace Silica.Runtime.Tests.Cuda.Reference;

/// <summary>Real models through planner + interpreter against ONNX Runtime (seconds each: the interpreter is plain C#).</summary>
public sealed class PlannedRealModelTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("ch_ppocr_mobile_v2.0_cls_infer.onnx", 1, 3, 48, 192)]
    [InlineData("ch_PP-OCRv4_rec_infer.onnx", 1, 3, 48, 160)]
    [InlineData("ch_PP-OCRv4_det_infer.onnx", 1, 3, 160, 160)]
    public void OcrModel_PlannedAndInterpreted_MatchesOnnxRuntime(string file, int n, int c, int h, int w)
    {
        var model = OnnxModel.Load(TestData.OcrModel(file));
        Compare(model, [n, c, h, w]);
    }

    // resnet50 is left out until the planner plans it (it reports a BatchNormalization value read before it is produced).
    [Fact]
    public void ZooMobileNetV2_PlannedAndInterpreted_MatchesOnnxRuntime()
    {
        Compare(ModelZoo.Build("mobilenetv2"), [1, 3, 224, 224]);
    }

    private void Compare(OnnxModel model, long[] inputShape)
    {
        var x = Values((int)Broadcast.ElementCount(inputShape), 3);
        var plan = CudaPlanner.Plan(model, [inputShape], new PlanOptions());
        var outShape = plan[plan.Outputs[0]].Shape;
        var expected = Run(model, [(x, inputShape)], outShape)[0];
        var watch = Stopwatch.StartNew();
        var outputs = new PlanInterpreter(plan).Run([HostTensorMath.ToBytes(x, TensorDataType.Float)]);
        output.WriteLine($"{plan.Steps.Count} steps interpreted in {watch.Elapsed.TotalSeconds:F2} s");
        AssertClose(expected, HostTensorMath.DecodeFloats(outputs[0], plan[plan.Outputs[0]].Type), 1e-3f);
    }
}
