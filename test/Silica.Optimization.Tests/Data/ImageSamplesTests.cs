using Silica.Onnx.Model;
using Silica.Optimization.Data;
using Silica.Runtime.Backends;
using SkiaSharp;

namespace Silica.Optimization.Tests.Data;

public sealed class ImageSamplesTests
{
    private static readonly TensorInfo Classifier = new("pixels", TensorDataType.Float, new TensorShape("batch", 3, 8, 8));

    private static readonly TensorInfo Recognizer = new("x", TensorDataType.Float, new TensorShape("batch", 3, 48, "width"));

    [Fact]
    public void Load_PngWithImageNet_ResizesToNchwAndNormalizes()
    {
        using var dir = new TempFolder();
        WriteSolid(dir.File("red.png"), 16, 16, new SKColor(255, 0, 0), SKEncodedImageFormat.Png);

        var set = SampleFolder.Load(dir.Path, [Classifier], new Dictionary<string, long>(), ImagePreprocessing.ImageNet);

        var t = set.Samples[0].Inputs["pixels"];
        Assert.Equal([1L, 3, 8, 8], t.Shape.ToArray());
        var v = t.AsFloats();
        Assert.Equal((1f - 0.485f) / 0.229f, v[0], 3);          // R plane
        Assert.Equal((0f - 0.456f) / 0.224f, v[64], 3);         // G plane
        Assert.Equal((0f - 0.406f) / 0.225f, v[(2 * 64) + 63], 3); // B plane, last pixel
    }

    [Fact]
    public void Load_JpegWithUnit_ScalesToZeroOne()
    {
        using var dir = new TempFolder();
        WriteSolid(dir.File("grey.jpg"), 8, 8, new SKColor(128, 128, 128), SKEncodedImageFormat.Jpeg);

        var set = SampleFolder.Load(dir.Path, [Classifier], new Dictionary<string, long>(), ImagePreprocessing.Unit);

        Assert.All(set.Samples[0].Inputs["pixels"].AsFloats().ToArray(), v => Assert.InRange(v, 0.45f, 0.55f));
    }

    [Fact]
    public void Load_OcrRecognition_KeepsAspectAndPadsToWidth()
    {
        using var dir = new TempFolder();
        WriteSolid(dir.File("line.png"), 200, 50, SKColors.White, SKEncodedImageFormat.Png);

        var set = SampleFolder.Load(dir.Path, [Recognizer], new Dictionary<string, long>(), ImagePreprocessing.OcrRecognition);

        var t = set.Samples[0].Inputs["x"];
        Assert.Equal([1L, 3, 48, 320], t.Shape.ToArray());
        var row = t.AsFloats().Slice(0, 320).ToArray();
        Assert.Equal(1f, row[0], 3);      // white maps to +1
        Assert.Equal(1f, row[191], 3);    // 200x50 → 192x48
        Assert.Equal(0f, row[192]);       // padding
    }

    [Fact]
    public void Load_ImagesWithoutPreprocessing_AsksForIt()
    {
        using var dir = new TempFolder();
        WriteSolid(dir.File("a.png"), 8, 8, SKColors.Black, SKEncodedImageFormat.Png);
        var e = Assert.Throws<SampleDataException>(() => SampleFolder.Load(dir.Path, [Classifier], new Dictionary<string, long>()));
        Assert.Contains("--preprocess", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptImage_NamesTheFile()
    {
        using var dir = new TempFolder();
        var file = dir.File("broken.png");
        File.WriteAllText(file, "not a png");
        var e = Assert.Throws<SampleDataException>(() => SampleFolder.Load(dir.Path, [Classifier], new Dictionary<string, long>(), ImagePreprocessing.Unit));
        Assert.Equal($"'{file}' is not a readable PNG or JPEG image", e.Message);
    }

    [Fact]
    public void Load_ImagesForNonImageInput_SaysWhy()
    {
        using var dir = new TempFolder();
        WriteSolid(dir.File("a.png"), 8, 8, SKColors.Black, SKEncodedImageFormat.Png);
        var mlp = new TensorInfo("input", TensorDataType.Float, new TensorShape("batch", 784));
        var e = Assert.Throws<SampleDataException>(() => SampleFolder.Load(dir.Path, [mlp], new Dictionary<string, long>(), ImagePreprocessing.ImageNet));
        Assert.Contains("images feed float NCHW inputs with 3 channels", e.Message, StringComparison.Ordinal);
    }

    private static void WriteSolid(string path, int width, int height, SKColor color, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        bitmap.Erase(color);
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, 95);
        File.WriteAllBytes(path, data.ToArray());
    }
}
