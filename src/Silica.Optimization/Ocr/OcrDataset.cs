using Silica.Optimization.Data;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Ocr;

/// <summary>
/// A real, labelled OCR evaluation and calibration set made here: seeded text lines that read like documents,
/// rendered with a TrueType font (DejaVu from the Debian package <c>fonts-dejavu-core</c>), with the ground truth.
/// The same seed gives the same images.
/// </summary>
public static class OcrDataset
{
    /// <summary>The PaddleOCR recognizers' input name.</summary>
    public const string RecognizerInputName = "x";

    /// <summary>The default sample width: 48 px high lines up to 10:1, about 25 characters.</summary>
    public const int DefaultLineWidth = 480;

    /// <summary>Renders text lines that fit a recognizer input of <paramref name="maxWidth"/> pixels at height 48.</summary>
    /// <param name="count">Lines to render.</param>
    /// <param name="seed">Fixes text and looks.</param>
    /// <param name="fontPath">A TrueType font with ASCII glyphs.</param>
    /// <param name="maxWidth">The widest a line may be after scaling to height 48.</param>
    /// <exception cref="FileNotFoundException">The font is missing.</exception>
    public static IReadOnlyList<RenderedLine> RenderLines(int count, int seed, string fontPath, int maxWidth = DefaultLineWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxWidth, RecognitionPreprocessing.MinWidth);
        using var renderer = new TextRenderer(fontPath);
        var generator = new TextLineGenerator(seed);
        var lines = new List<RenderedLine>(count);
        while (lines.Count < count)
        {
            var words = 6;
            RenderedLine line;
            do
            {
                line = renderer.RenderLine(generator.NextLine(1, words), generator.Random);
                words = Math.Max(1, words - 1);
            }
            while (RecognitionPreprocessing.ScaledWidth(line.Image) > maxWidth);
            lines.Add(line);
        }
        return lines;
    }

    /// <summary>
    /// Rendered text lines as recognizer samples: each sample's input is float[1, 3, 48, <paramref name="width"/>]
    /// (PaddleOCR preprocessing, see <see cref="RecognitionPreprocessing"/>) under <paramref name="inputName"/>, and its
    /// label is the line's text.
    /// </summary>
    /// <param name="count">Lines to render.</param>
    /// <param name="seed">Fixes text and looks.</param>
    /// <param name="fontPath">A TrueType font with ASCII glyphs.</param>
    /// <param name="width">The input width every sample shares (so samples batch and calibrate alike).</param>
    /// <param name="inputName">The recognizer's input name.</param>
    public static SampleSet RecognitionLines(int count, int seed, string fontPath, int width = DefaultLineWidth, string inputName = RecognizerInputName)
    {
        if (width % RecognitionPreprocessing.WidthStep != 0)
        {
            throw new ArgumentException($"width {width} is not a multiple of {RecognitionPreprocessing.WidthStep}", nameof(width));
        }
        var lines = RenderLines(count, seed, fontPath, width);
        var samples = new Sample[lines.Count];
        for (var i = 0; i < lines.Count; i++)
        {
            var tensor = RecognitionPreprocessing.ToTensor([lines[i].Image], width);
            samples[i] = new Sample(new Dictionary<string, Tensor> { [inputName] = tensor }, lines[i].Text, $"line-{i:D4}");
        }
        return new SampleSet(samples, $"rendered OCR lines ({count}, seed {seed}, {Path.GetFileName(fontPath)})", IsSynthetic: false);
    }

    /// <summary>Renders pages of several lines each (3 to 8, left-aligned, varied size and spacing), with each line's ink box.</summary>
    /// <param name="count">Pages to render.</param>
    /// <param name="seed">Fixes text and looks.</param>
    /// <param name="fontPath">A TrueType font with ASCII glyphs.</param>
    /// <param name="width">Page width in pixels.</param>
    /// <param name="height">Page height in pixels.</param>
    public static IReadOnlyList<RenderedPage> RenderPages(int count, int seed, string fontPath, int width = 640, int height = 480)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 64);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 64);
        using var renderer = new TextRenderer(fontPath);
        var generator = new TextLineGenerator(seed);
        var pages = new List<RenderedPage>(count);
        for (var i = 0; i < count; i++)
        {
            var lines = Enumerable.Range(0, generator.Random.Next(3, 9)).Select(_ => generator.NextLine(2, 7)).ToArray();
            pages.Add(renderer.RenderPage(lines, width, height, generator.Random));
        }
        return pages;
    }

    /// <summary>
    /// Rendered pages as detector samples: each input is float[1, 3, h, w] (PaddleOCR detection preprocessing, see
    /// <see cref="DetectionPreprocessing"/>) under <paramref name="inputName"/>, each label the page's text, one line
    /// per row; the set also holds the pages and each line's true box in detector-map pixels.
    /// </summary>
    /// <param name="count">Pages to render.</param>
    /// <param name="seed">Fixes text and looks.</param>
    /// <param name="fontPath">A TrueType font with ASCII glyphs.</param>
    /// <param name="width">Page width in pixels (a multiple of 32 keeps the detector at the page's own scale).</param>
    /// <param name="height">Page height in pixels.</param>
    /// <param name="inputName">The detector's input name.</param>
    public static OcrPageSet Pages(int count, int seed, string fontPath, int width = 640, int height = 480, string inputName = RecognizerInputName)
    {
        var pages = RenderPages(count, seed, fontPath, width, height);
        var samples = new Sample[pages.Count];
        var truth = new IReadOnlyList<TextBox>[pages.Count];
        for (var i = 0; i < pages.Count; i++)
        {
            var tensor = DetectionPreprocessing.ToTensor(pages[i].Image);
            var sx = tensor.Shape[3] / (double)width;
            var sy = tensor.Shape[2] / (double)height;
            samples[i] = new Sample(new Dictionary<string, Tensor> { [inputName] = tensor }, pages[i].Text, $"page-{i:D3}");
            truth[i] = [.. pages[i].Lines.Select(l => l.Box.Scale(sx, sy))];
        }
        var set = new SampleSet(samples, $"rendered OCR pages ({count}, seed {seed}, {Path.GetFileName(fontPath)}, {width}x{height})", IsSynthetic: false);
        return new OcrPageSet(set, pages, truth);
    }
}
