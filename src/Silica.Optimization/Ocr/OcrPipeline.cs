using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Ocr;

/// <summary>
/// End-to-end OCR over any backend's sessions, as PaddleOCR's <c>TextSystem</c>: detect text boxes (DB), cut each box
/// out upright, optionally turn upside-down lines (direction classifier), recognize (CTC), drop regions read with
/// confidence below <see cref="DropScore"/>, and order the rest top to bottom. Sessions are not owned and, like any
/// <see cref="ISession"/>, not shared across threads.
/// </summary>
public sealed class OcrPipeline
{
    private readonly ISession _detector;
    private readonly OcrRecognizer _recognizer;
    private readonly TextDirectionClassifier? _classifier;

    /// <summary>Creates a pipeline.</summary>
    /// <param name="detector">A DB detector: float[1,3,h,w] in, float[1,1,h,w] probability map out.</param>
    /// <param name="recognizer">A CTC recognizer matching <paramref name="dictionary"/>.</param>
    /// <param name="dictionary">The recognizer's dictionary.</param>
    /// <param name="classifier">The text-direction classifier, or null to read every line as it stands.</param>
    /// <exception cref="ArgumentException">A session does not have the shape its role needs.</exception>
    public OcrPipeline(ISession detector, ISession recognizer, OcrDictionary dictionary, ISession? classifier = null)
    {
        ArgumentNullException.ThrowIfNull(detector);
        if (detector.Inputs.Count != 1 || detector.Outputs.Count < 1 || detector.Inputs[0].ElementType != TensorDataType.Float
            || detector.Inputs[0].Shape.Rank != 4 || detector.Outputs[0].Shape.Rank != 4)
        {
            throw new ArgumentException($"{detector.ModelName} is not a DB text detector (float[1,3,h,w] in, float[1,1,h,w] out)");
        }
        _detector = detector;
        _recognizer = new OcrRecognizer(recognizer, dictionary, batchSize: 6);
        _classifier = classifier is null ? null : new TextDirectionClassifier(classifier);
    }

    /// <summary>
    /// The detector's post-processing settings: PaddleOCR's, except boxes grow by 2.0 instead of 1.5. On rendered
    /// pages (DejaVu Sans, 22-36 px) PaddleOCR's 1.5 cuts crops so tight that the recognizer drops most spaces:
    /// 85.5% end-to-end character accuracy at 1.5, 98.9% at 2.0, 99.8% at 2.5 (4 pages, 21 lines, seed 3).
    /// </summary>
    public DbPostProcessor PostProcessor { get; init; } = new() { UnclipRatio = 2.0 };

    /// <summary>The longest side the detector sees.</summary>
    public int LimitSideLength { get; init; } = DetectionPreprocessing.DefaultLimitSideLength;

    /// <summary>Regions read with lower confidence are dropped (PaddleOCR's <c>drop_score</c>).</summary>
    public double DropScore { get; init; } = 0.5;

    /// <summary>Finds the text boxes in an image, in image pixels.</summary>
    public IReadOnlyList<TextBox> Detect(OcrImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        using var input = DetectionPreprocessing.ToTensor(image, LimitSideLength);
        using var map = Tensor.Allocate(TensorDataType.Float, [1, 1, input.Shape[2], input.Shape[3]]);
        _detector.Run([input], [map]);
        return PostProcessor.FindBoxes(map, image.Width, image.Height);
    }

    /// <summary>Reads an image.</summary>
    public OcrResult Read(OcrImage image)
    {
        var boxes = ReadingOrder(Detect(image));
        var crops = boxes.Select(b => TextCrop.Cut(image, b)).ToArray();
        if (_classifier is not null && crops.Length > 0)
        {
            var flip = _classifier.IsUpsideDown(crops);
            for (var i = 0; i < crops.Length; i++)
            {
                crops[i] = flip[i] ? TextCrop.Rotate180(crops[i]) : crops[i];
            }
        }
        var texts = crops.Length == 0 ? [] : _recognizer.Recognize(crops);
        var lines = new List<OcrLine>();
        for (var i = 0; i < boxes.Count; i++)
        {
            if (texts[i].Confidence >= DropScore)
            {
                lines.Add(new OcrLine(boxes[i], texts[i].Text, texts[i].Confidence));
            }
        }
        return new OcrResult(lines);
    }

    // PaddleOCR's sorted_boxes: by top-left y then x, then neighbours less than 10 px apart vertically go left to right.
    private static List<TextBox> ReadingOrder(IReadOnlyList<TextBox> boxes)
    {
        var sorted = boxes.OrderBy(b => b.Corners[0].Y).ThenBy(b => b.Corners[0].X).ToList();
        for (var i = 0; i < sorted.Count - 1; i++)
        {
            for (var j = i; j >= 0; j--)
            {
                if (Math.Abs(sorted[j + 1].Corners[0].Y - sorted[j].Corners[0].Y) < 10 && sorted[j + 1].Corners[0].X < sorted[j].Corners[0].X)
                {
                    (sorted[j], sorted[j + 1]) = (sorted[j + 1], sorted[j]);
                }
                else
                {
                    break;
                }
            }
        }
        return sorted;
    }
}
