namespace Silica.Optimization.Tests.Support;

/// <summary>
/// Synthetic images with dark glyph-like strokes on a light background, normalized the way PaddleOCR feeds its
/// models. Random noise drives the detector's probability map to ~1e-6 everywhere, which tests nothing; strokes
/// in text-line layout give the detector, classifier and recognizer the activations they were trained on.
/// This is stand-in data for comparing a model with its optimized self, not a labelled OCR set.
/// </summary>
internal static class TextLikeImage
{
    private static readonly float[] DetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] DetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>A [1, 3, h, w] input: text lines of stroke glyphs; <paramref name="detector"/> selects ImageNet normalization, else (v − 0.5) / 0.5.</summary>
    public static OrtInput Create(string inputName, long[] shape, bool detector, int seed = 11)
    {
        var (h, w) = ((int)shape[2], (int)shape[3]);
        var gray = new float[h * w];
        Array.Fill(gray, 0.95f);
        var random = new Random(seed);
        var lineHeight = detector ? Math.Max(12, h / 6) : h * 3 / 4;
        for (var top = detector ? lineHeight / 2 : (h - lineHeight) / 2; top + lineHeight <= h; top += lineHeight * 2)
        {
            var cell = lineHeight * 3 / 4;
            var left = detector ? random.Next(2, w / 4) : 4;
            var right = detector ? random.Next(w / 2, w - 2) : w - 4;
            for (var x = left; x + cell <= right; x += cell + 2)
            {
                DrawGlyph(gray, w, h, x, top, cell, lineHeight, random);
            }
            if (!detector)
            {
                break;
            }
        }
        var values = new float[3 * h * w];
        for (var c = 0; c < 3; c++)
        {
            for (var i = 0; i < h * w; i++)
            {
                values[(c * h * w) + i] = detector ? (gray[i] - DetMean[c]) / DetStd[c] : (gray[i] - 0.5f) / 0.5f;
            }
        }
        return new OrtInput(inputName, Onnx.Model.TensorDataType.Float, shape, Floats: values);
    }

    private static void DrawGlyph(float[] gray, int w, int h, int x0, int y0, int cellW, int cellH, Random random)
    {
        var thickness = Math.Max(1, cellH / 10);
        var strokes = random.Next(2, 5);
        for (var s = 0; s < strokes; s++)
        {
            var (ax, ay) = (x0 + random.Next(cellW), y0 + random.Next(cellH));
            var (bx, by) = random.Next(3) switch
            {
                0 => (ax, y0 + random.Next(cellH)),
                1 => (x0 + random.Next(cellW), ay),
                _ => (x0 + random.Next(cellW), y0 + random.Next(cellH)),
            };
            var steps = Math.Max(Math.Abs(bx - ax), Math.Abs(by - ay)) + 1;
            for (var k = 0; k <= steps; k++)
            {
                var px = ax + ((bx - ax) * k / steps);
                var py = ay + ((by - ay) * k / steps);
                for (var dy = 0; dy < thickness; dy++)
                {
                    for (var dx = 0; dx < thickness; dx++)
                    {
                        var (x, y) = (px + dx, py + dy);
                        if (x >= 0 && x < w && y >= 0 && y < h)
                        {
                            gray[(y * w) + x] = 0.1f;
                        }
                    }
                }
            }
        }
    }
}
