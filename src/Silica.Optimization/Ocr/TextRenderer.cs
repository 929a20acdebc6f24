using SkiaSharp;

namespace Silica.Optimization.Ocr;

/// <summary>
/// Draws text black-on-white (with seeded variation in size, margins, ink and paper shade, and sensor-like noise)
/// with SkiaSharp and one TrueType font, and reports where the ink landed.
/// </summary>
internal sealed class TextRenderer : IDisposable
{
    private readonly SKTypeface _typeface;

    /// <exception cref="FileNotFoundException">The font file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not a font SkiaSharp can read.</exception>
    public TextRenderer(string fontPath)
    {
        if (!File.Exists(fontPath))
        {
            throw new FileNotFoundException($"font not found: {fontPath} (scripts/fetch-test-data.sh puts DejaVu in <cache>/fonts)", fontPath);
        }
        _typeface = SKTypeface.FromFile(fontPath) ?? throw new InvalidDataException($"not a font SkiaSharp can read: {fontPath}");
        using var font = new SKFont(_typeface, 12);
        if (!font.ContainsGlyphs(TextLineGenerator.Alphabet))
        {
            throw new InvalidDataException($"font {fontPath} lacks glyphs for some of: {TextLineGenerator.Alphabet}");
        }
    }

    /// <summary>Renders one line on its own image, tight margins as a text detector's crop would have.</summary>
    public RenderedLine RenderLine(string text, Random random)
    {
        var size = 16f + (float)(random.NextDouble() * 24);
        using var font = NewFont(size);
        var advance = font.MeasureText(text, out _);
        var metrics = font.Metrics;
        int padLeft = random.Next(2, 14), padRight = random.Next(2, 14), padTop = random.Next(1, 8), padBottom = random.Next(1, 8);
        var width = (int)Math.Ceiling(advance) + padLeft + padRight;
        var height = (int)Math.Ceiling(metrics.Descent - metrics.Ascent) + padTop + padBottom;
        var look = Look.Next(random);
        var image = Draw(width, height, look, random, canvas =>
        {
            using var paint = new SKPaint { Color = look.InkColor, IsAntialias = true };
            canvas.DrawText(text, padLeft, padTop - metrics.Ascent, SKTextAlign.Left, font, paint);
        });
        return new RenderedLine(image, text);
    }

    /// <summary>
    /// Renders lines on one page, top to bottom with a left margin, and returns the page with each line's ink box.
    /// Lines wider than the page are shortened word by word; lines that no longer fit below are left out.
    /// </summary>
    public RenderedPage RenderPage(IReadOnlyList<string> lines, int width, int height, Random random)
    {
        var look = Look.Next(random);
        var placed = new List<PageLine>();
        var fonts = new List<(SKFont Font, string Text, float X, float Baseline)>();
        try
        {
            float y = random.Next(12, 40);
            foreach (var original in lines)
            {
                var font = NewFont(22f + (float)(random.NextDouble() * 14));
                fonts.Add((font, "", 0, 0));
                float x = random.Next(12, 60);
                var text = original;
                SKRect bounds;
                while (x + font.MeasureText(text, out bounds) > width - 12 && text.Contains(' ', StringComparison.Ordinal))
                {
                    text = text[..text.LastIndexOf(' ')];
                }
                font.MeasureText(text, out bounds);
                var baseline = y - font.Metrics.Ascent;
                if (baseline + font.Metrics.Descent > height - 12 || x + bounds.Right > width - 4)
                {
                    break;
                }
                fonts[^1] = (font, text, x, baseline);
                var ink = new SKRect(x + bounds.Left, baseline + bounds.Top, x + bounds.Right, baseline + bounds.Bottom);
                placed.Add(new PageLine(text, TextBox.FromRectangle(ink.Left, ink.Top, ink.Right, ink.Bottom, 1)));
                y = baseline + font.Metrics.Descent + (font.Size * (0.5f + (float)random.NextDouble()));
            }
            var image = Draw(width, height, look, random, canvas =>
            {
                using var paint = new SKPaint { Color = look.InkColor, IsAntialias = true };
                foreach (var (font, text, x, baseline) in fonts)
                {
                    if (text.Length > 0)
                    {
                        canvas.DrawText(text, x, baseline, SKTextAlign.Left, font, paint);
                    }
                }
            });
            return new RenderedPage(image, placed);
        }
        finally
        {
            foreach (var f in fonts)
            {
                f.Font.Dispose();
            }
        }
    }

    public void Dispose() => _typeface.Dispose();

    private SKFont NewFont(float size) => new(_typeface, size) { Edging = SKFontEdging.Antialias, Subpixel = true };

    private static OcrImage Draw(int width, int height, Look look, Random random, Action<SKCanvas> draw)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(look.PaperColor);
            draw(canvas);
        }
        var rgba = bitmap.GetPixelSpan();
        var rgb = new byte[width * height * 3];
        for (int p = 0, q = 0; p < rgb.Length; p += 3, q += 4)
        {
            // One noise value per pixel, so the image stays grey like a scan.
            var noise = look.NoiseSigma > 0 ? Gaussian(random) * look.NoiseSigma : 0;
            for (var c = 0; c < 3; c++)
            {
                rgb[p + c] = (byte)Math.Clamp(Math.Round(rgba[q + c] + noise), 0, 255);
            }
        }
        return new OcrImage(width, height, rgb);
    }

    private static double Gaussian(Random random)
    {
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    private readonly record struct Look(SKColor InkColor, SKColor PaperColor, double NoiseSigma)
    {
        public static Look Next(Random random)
        {
            var ink = (byte)random.Next(0, 60);
            var paper = (byte)random.Next(210, 256);
            return new Look(new SKColor(ink, ink, ink), new SKColor(paper, paper, paper), random.NextDouble() * 6);
        }
    }
}

/// <summary>A rendered text line and the text drawn on it.</summary>
/// <param name="Image">The line image.</param>
/// <param name="Text">The ground truth.</param>
public sealed record RenderedLine(OcrImage Image, string Text);

/// <summary>A rendered page and the lines on it, top to bottom.</summary>
/// <param name="Image">The page image.</param>
/// <param name="Lines">Each line's text and ink box (in page pixels).</param>
public sealed record RenderedPage(OcrImage Image, IReadOnlyList<PageLine> Lines)
{
    /// <summary>The page's text: the lines joined with newlines.</summary>
    public string Text => string.Join('\n', Lines.Select(l => l.Text));
}

/// <summary>One line of a rendered page.</summary>
/// <param name="Text">The ground truth.</param>
/// <param name="Box">The tight box around the line's ink.</param>
public sealed record PageLine(string Text, TextBox Box);
