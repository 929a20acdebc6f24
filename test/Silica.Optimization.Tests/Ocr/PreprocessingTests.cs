using Silica.Optimization.Ocr;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Tests.Ocr;

public sealed class PreprocessingTests
{
    private static OcrImage Solid(int width, int height, byte r, byte g, byte b)
    {
        var rgb = new byte[width * height * 3];
        for (var i = 0; i < width * height; i++)
        {
            (rgb[i * 3], rgb[(i * 3) + 1], rgb[(i * 3) + 2]) = (r, g, b);
        }
        return new OcrImage(width, height, rgb);
    }

    [Fact]
    public void Recognition_RedLine_IsBgrScaledToMinusOneOneAndPaddedWithZeros()
    {
        // 24 x 96 scales to 48 x 192 in a 320-wide input.
        using var t = RecognitionPreprocessing.ToTensor([Solid(96, 24, 255, 0, 0)], 320);
        Assert.Equal([1L, 3, 48, 320], t.Shape.ToArray());
        var v = t.AsFloats();
        var plane = 48 * 320;
        Assert.Equal(-1f, v[(0 * plane) + 10]); // B
        Assert.Equal(-1f, v[(1 * plane) + 10]); // G
        Assert.Equal(1f, v[(2 * plane) + 10]);  // R
        Assert.Equal(1f, v[(2 * plane) + 191]);
        Assert.Equal(0f, v[(2 * plane) + 192]); // padding
    }

    [Fact]
    public void Recognition_BatchWidth_IsWidestAspectAtLeast320RoundedTo8()
    {
        Assert.Equal(320, RecognitionPreprocessing.BatchWidth([Solid(50, 48, 0, 0, 0)]));
        Assert.Equal(608, RecognitionPreprocessing.BatchWidth([Solid(50, 48, 0, 0, 0), Solid(201, 16, 0, 0, 0)])); // 603 -> 608
    }

    [Theory]
    [InlineData(640, 480, 640, 480)]
    [InlineData(1920, 1080, 960, 544)] // 540 / 32 = 16.9 -> 17
    [InlineData(600, 400, 608, 384)]   // 12.5 rounds to even
    [InlineData(10, 10, 32, 32)]
    public void Detection_InputSize_LimitsTheLongSideAndRoundsTo32(int w, int h, int expectedW, int expectedH) =>
        Assert.Equal((expectedW, expectedH), DetectionPreprocessing.InputSize(w, h));

    [Fact]
    public void Detection_WhitePixel_IsImageNetNormalizedPerChannel()
    {
        using var t = DetectionPreprocessing.ToTensor(Solid(64, 32, 255, 255, 255));
        var v = t.AsFloats();
        var plane = 64 * 32;
        Assert.Equal((1 - 0.485f) / 0.229f, v[0], 5);
        Assert.Equal((1 - 0.456f) / 0.224f, v[plane], 5);
        Assert.Equal((1 - 0.406f) / 0.225f, v[2 * plane], 5);
    }

    [Fact]
    public void Resize_HalvingTwoByTwo_AveragesLikeOpenCvLinear()
    {
        var img = new OcrImage(2, 2, [0, 0, 0, 100, 100, 100, 100, 100, 100, 200, 200, 200]);
        var small = img.Resize(1, 1);
        Assert.Equal(100, small.Rgb[0]);
        Assert.Equal(img.Rgb, img.Resize(2, 2).Rgb);
    }

    [Fact]
    public void Crop_AxisAlignedBox_CopiesThePixelsAndRotate180TurnsThem()
    {
        var rgb = new byte[8 * 4 * 3];
        for (var i = 0; i < 32; i++)
        {
            rgb[i * 3] = (byte)i;
        }
        var img = new OcrImage(8, 4, rgb);
        var crop = TextCrop.Cut(img, TextBox.FromRectangle(2, 1, 6, 3, 1));
        Assert.Equal((4, 2), (crop.Width, crop.Height));
        Assert.Equal(10, crop.Rgb[0]);   // (2,1)
        Assert.Equal(19, crop.Rgb[5 * 3]); // crop (1,1) is image (3,2): 2 * 8 + 3
        var turned = TextCrop.Rotate180(crop);
        Assert.Equal(crop.Rgb[0], turned.Rgb[^3]);
    }

    [Fact]
    public void Decode_Float16Output_ReadsLikeFloat()
    {
        var floats = CtcDecoderTests.OneHot(5, 1, 0, 2, 3);
        var halves = floats.Select(f => (Half)f).ToArray();
        var decoder = new CtcDecoder(CtcDecoderTests.Abc());
        var text = decoder.DecodeBatch(Tensor.FromArray(halves, [1, 4, 5]))[0].Text;
        Assert.Equal("abc", text);
    }
}
