using Silica.Optimization.Ocr;
using Silica.Runtime.Backends;
using Silica.Tests;

namespace Silica.Optimization.Tests.Ocr;

/// <summary>The OCR models, dictionary and font from the test-data cache, and sessions over them.</summary>
internal static class OcrTestData
{
    public static string FontPath
    {
        get
        {
            var path = Path.Combine(TestData.CacheDir, "fonts", "DejaVuSans.ttf");
            if (!File.Exists(path))
            {
                Assert.Fail($"test data missing: {path}. Run scripts/fetch-test-data.sh (the test command does this itself).");
            }
            return path;
        }
    }

    public static OcrDictionary Dictionary { get; } = OcrDictionary.Load(TestData.OcrDictionary);

    public static string Detector => TestData.OcrModel("ch_PP-OCRv4_det_infer.onnx");

    public static string Recognizer => TestData.OcrModel("ch_PP-OCRv4_rec_infer.onnx");

    public static string Classifier => TestData.OcrModel("ch_ppocr_mobile_v2.0_cls_infer.onnx");

    /// <summary>A CPU session; two threads, no spinning (the CI machine has two cores, shared).</summary>
    public static ISession Open(string path) =>
        BackendRegistry.Default.Get("cpu").CreateSession(path, new SessionOptions { IntraOpThreads = 2, AllowSpinning = false });
}
