using Silica.Optimization.Ocr;

namespace Silica.Optimization.Tests.Ocr;

public sealed class CtcDecoderTests
{
    // Classes: 0 blank, 1 'a', 2 'b', 3 'c', 4 space.
    internal static OcrDictionary Abc()
    {
        var path = Path.Combine(Path.GetTempPath(), $"silica-abc-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, "a\nb\nc\n");
        try
        {
            return OcrDictionary.Load(path);
        }
        finally
        {
            File.Delete(path);
        }
    }

    internal static float[] OneHot(int classes, params int[] steps)
    {
        var p = new float[steps.Length * classes];
        for (var t = 0; t < steps.Length; t++)
        {
            for (var c = 0; c < classes; c++)
            {
                p[(t * classes) + c] = c == steps[t] ? 0.9f : 0.1f / (classes - 1);
            }
        }
        return p;
    }

    [Fact]
    public void Load_PaddleDictionary_HasBlankCharactersAndSpace()
    {
        var d = OcrTestData.Dictionary;
        Assert.Equal(6623, d.Characters.Count);
        Assert.Equal(6625, d.ClassCount);
        Assert.Equal(" ", d.TextOf(6624));
        Assert.Equal("", d.TextOf(0));
    }

    [Fact]
    public void Decode_RepeatsAndBlanks_MergesRepeatsKeepsBlankSeparatedDoubles()
    {
        var decoder = new CtcDecoder(Abc());
        var result = decoder.Decode(OneHot(5, 1, 1, 0, 1, 2, 2, 4, 3, 0, 0), 5);
        Assert.Equal("aab c", result.Text);
        Assert.Equal(0.9, result.Confidence, 5);
    }

    [Fact]
    public void Decode_AllBlank_IsEmptyWithZeroConfidence()
    {
        var result = new CtcDecoder(Abc()).Decode(OneHot(5, 0, 0, 0), 5);
        Assert.Equal("", result.Text);
        Assert.Equal(0, result.Confidence);
    }

    [Fact]
    public void Decode_ClassCountDiffersFromDictionary_Throws()
    {
        var e = Assert.Throws<InvalidDataException>(() => new CtcDecoder(Abc()).Decode(OneHot(4, 1, 2), 4));
        Assert.Contains("4 output classes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Generator_Alphabet_IsInPaddleDictionary()
    {
        Assert.True(OcrTestData.Dictionary.CanSpell(TextLineGenerator.Alphabet));
        Assert.False(OcrTestData.Dictionary.CanSpell("\u2603"));
    }

    [Fact]
    public void RenderLines_SameSeed_SameTextAndPixels_OtherSeedDiffers()
    {
        var a = OcrDataset.RenderLines(5, 7, OcrTestData.FontPath);
        var b = OcrDataset.RenderLines(5, 7, OcrTestData.FontPath);
        var c = OcrDataset.RenderLines(5, 8, OcrTestData.FontPath);
        Assert.Equal(a.Select(l => l.Text), b.Select(l => l.Text));
        Assert.All(a.Zip(b), p => Assert.Equal(p.First.Image.Rgb, p.Second.Image.Rgb));
        Assert.NotEqual(a.Select(l => l.Text), c.Select(l => l.Text));
    }
}
