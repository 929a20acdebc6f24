using Silica.Onnx.Graph;

namespace Silica.Optimization.Tests.Support;

/// <summary>The three OCR models with the input size each test feeds them.</summary>
internal static class OcrCases
{
    public const string Detector = "ch_PP-OCRv4_det_infer.onnx";
    public const string Recognizer = "ch_PP-OCRv4_rec_infer.onnx";
    public const string Classifier = "ch_ppocr_mobile_v2.0_cls_infer.onnx";

    /// <summary>The input shape used for a model: small enough for a fast test, real aspect ratios.</summary>
    public static long[] Shape(string file) => file switch
    {
        Detector => [1, 3, 128, 128],
        Recognizer => [1, 3, 48, 160],
        Classifier => [1, 3, 48, 192],
        _ => throw new ArgumentException($"unknown OCR model {file}", nameof(file)),
    };

    /// <summary>A text-like image input for the model's single input.</summary>
    public static IReadOnlyList<OrtInput> Inputs(OnnxModel model, string file) =>
        [TextLikeImage.Create(model.Graph.RuntimeInputs.Single().Name, Shape(file), detector: file == Detector)];

    /// <summary>The model's symbolic input dims bound to the test's input shape.</summary>
    public static Dictionary<string, long> Bindings(OnnxModel model, string file)
    {
        var shape = Shape(file);
        var dims = model.Graph.RuntimeInputs.Single().Type!.Shape!;
        var bindings = new Dictionary<string, long>();
        for (var i = 0; i < dims.Rank; i++)
        {
            if (dims[i].Symbol is { } s)
            {
                bindings[s] = shape[i];
            }
        }
        return bindings;
    }
}
