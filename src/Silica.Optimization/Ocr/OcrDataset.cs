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
}
