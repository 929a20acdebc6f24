using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Runtime.Cuda.Planning;
using Silica.Runtime.Cuda.Reference;
using Silica.Tests;
using static Silica.Runtime.Tests.Cuda.Reference.OrtReference;

namespace Silica.Runtime.Tests.Cuda.Planning;

/// <summary>Plans run by the reference interpreter (arena aliasing checked) against ONNX Runtime.</summary>
public sealed class PlannedEndToEndTests
{
    [Theory]
    [InlineData("ch_ppocr_mobile_v2.0_cls_infer.onnx", new long[] { 1, 3, 48, 192 }, new long[] { 1, 2 })]
    [InlineData("ch_PP-OCRv4_rec_infer.onnx", new long[] { 1, 3, 48, 320 }, new long[] { 1, 40, 6625 })]
    public void OcrModel_PlannedAndInterpreted_MatchesOnnxRuntime(string file, long[] shape, long[] outputShape)
    {
        var model = OnnxModel.Load(TestData.OcrModel(file));
        var x = Values((int)shape.Aggregate(1L, (p, d) => p * d), 5);
        var expected = Run(model, [(x, shape)], outputShape)[0];

        var plan = CudaPlanner.Plan(model, [shape], new PlanOptions());
        var outputs = new PlanInterpreter(plan, checkArena: true).Run([HostTensorMath.ToBytes(x, TensorDataType.Float)]);

        AssertClose(expected, HostTensorMath.DecodeFloats(outputs[0], plan[plan.Outputs[0]].Type), 2e-3f);
    }
}
