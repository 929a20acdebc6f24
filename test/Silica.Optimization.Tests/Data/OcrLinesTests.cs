using Silica.Onnx.Model;
using Silica.Optimization.Data;
using Silica.Optimization.Ocr;
using Silica.Runtime.Backends;

namespace Silica.Optimization.Tests.Data;

public sealed class OcrLinesTests
{
    private static readonly TensorInfo Recognizer = new("x", TensorDataType.Float, new TensorShape("batch", 3, 48, "width"));

    [Fact]
    public void Load_Recognizer_RendersLabelledLinesAtTheDefaultWidth()
    {
        var font = OcrLines.DefaultFont() ?? Path.Combine(Silica.Tests.TestData.CacheDir, "fonts", "DejaVuSans.ttf");
        var set = SampleSource.Load("ocr-lines:3", [Recognizer], new Dictionary<string, long>(), fontPath: font);

        Assert.False(set.IsSynthetic);
        Assert.Equal(3, set.Samples.Count);
        Assert.All(set.Samples, s => Assert.False(string.IsNullOrWhiteSpace(s.Label)));
        Assert.Equal([1L, 3, 48, OcrDataset.DefaultLineWidth], set.Samples[0].Inputs["x"].Shape.ToArray());
    }

    [Theory]
    [InlineData("ocr-lines:0", "line count")]
    [InlineData("ocr-lines:many", "line count")]
    public void Load_BadCount_OneLineError(string spec, string expected)
    {
        var e = Assert.Throws<SampleDataException>(() => OcrLines.Load(spec, [Recognizer], new Dictionary<string, long>(), "/nonexistent.ttf", 1));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotARecognizer_SaysWhatItFeeds()
    {
        var mlp = new TensorInfo("input", TensorDataType.Float, new TensorShape("batch", 784));
        var e = Assert.Throws<SampleDataException>(() => OcrLines.Load("ocr-lines:2", [mlp], new Dictionary<string, long>(), null, 1));
        Assert.Contains("PaddleOCR text recognizers", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFont_NamesIt()
    {
        var e = Assert.Throws<SampleDataException>(() => OcrLines.Load("ocr-lines:2", [Recognizer], new Dictionary<string, long>(), "/no/such/font.ttf", 1));
        Assert.Contains("/no/such/font.ttf", e.Message, StringComparison.Ordinal);
    }
}
