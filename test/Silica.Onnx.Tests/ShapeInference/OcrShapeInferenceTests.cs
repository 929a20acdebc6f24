using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Silica.Onnx.Graph;
using Silica.Onnx.ShapeInference;
using Silica.Tests;

namespace Silica.Onnx.Tests.ShapeInference;

/// <summary>Inferred output shapes of the real PaddleOCR models agree with what ONNX Runtime produces.</summary>
public sealed class OcrShapeInferenceTests
{
    [Theory]
    [InlineData("ch_PP-OCRv4_det_infer.onnx", 1, 320, 320)]
    [InlineData("ch_PP-OCRv4_det_infer.onnx", 1, 640, 480)]
    [InlineData("ch_PP-OCRv4_det_infer.onnx", 2, 96, 160)]
    [InlineData("ch_PP-OCRv4_rec_infer.onnx", 1, 48, 320)]
    [InlineData("ch_PP-OCRv4_rec_infer.onnx", 2, 48, 160)]
    [InlineData("ch_PP-OCRv4_rec_infer.onnx", 3, 48, 104)]
    [InlineData("ch_ppocr_mobile_v2.0_cls_infer.onnx", 1, 48, 192)]
    [InlineData("ch_ppocr_mobile_v2.0_cls_infer.onnx", 4, 48, 96)]
    public void Infer_OcrModelWithBoundInput_MatchesOnnxRuntimeOutputShapes(string file, int batch, int height, int width)
    {
        var path = TestData.OcrModel(file);
        var model = OnnxModel.Load(path);
        var input = model.Graph.RuntimeInputs.Single();
        long[] dims = [batch, 3, height, width];
        var bindings = new Dictionary<string, long>();
        for (var i = 0; i < dims.Length; i++)
        {
            if (input.Type!.Shape![i].Symbol is { } symbol)
            {
                bindings[symbol] = dims[i];
            }
        }

        var result = ShapeInferencer.Infer(model, bindings);

        Assert.True(result.IsComplete, string.Join("\n", result.Diagnostics.Select(d => d.Message).Concat(result.IncompleteValues.Take(20))));
        var random = new Random(7);
        var data = new float[batch * 3 * height * width];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = (float)random.NextDouble();
        }
        using var session = new InferenceSession(path);
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(input.Name, new DenseTensor<float>(data, [batch, 3, height, width]))]);
        foreach (var output in model.Graph.Outputs)
        {
            var actual = results.Single(r => r.Name == output.Name).AsTensor<float>().Dimensions.ToArray().Select(d => (long)d);
            Assert.Equal(actual, output.Type!.Shape!.ToArray());
        }
    }

    [Theory]
    [MemberData(nameof(OcrModels))]
    public void Infer_OcrModelUnbound_KeepsBatchSymbolWithoutDiagnostics(string file)
    {
        var model = OnnxModel.Load(TestData.OcrModel(file));

        var result = ShapeInferencer.Infer(model);

        Assert.Empty(result.Diagnostics);
        var batch = model.Graph.RuntimeInputs.Single().Type!.Shape![0];
        var firstConv = model.Graph.Nodes.First(n => n.OpType == "Conv").Outputs[0]!.Type!.Shape!;
        Assert.Equal(batch, firstConv[0]);
    }

    public static TheoryData<string> OcrModels() => new(TestData.OcrModelFiles);
}
