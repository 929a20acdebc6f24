namespace Silica.Optimization.Ocr;

/// <summary>
/// Cuts a detected box out of an image as an upright line (PaddleOCR's <c>get_rotate_crop_image</c>): the box's
/// top edge becomes the crop's top, size from its longest opposite sides, border pixels replicated; a crop at least
/// 1.5 times taller than wide is turned a quarter counter-clockwise, as vertical text would be. Sampling is bilinear
/// (PaddleOCR uses bicubic), and the mapping affine, which is exact for the rectangles DB post-processing gives.
/// </summary>
public static class TextCrop
{
    /// <summary>The upright crop of <paramref name="box"/> from <paramref name="image"/>.</summary>
    public static OcrImage Cut(OcrImage image, TextBox box)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(box);
        var p = box.Corners;
        var width = Math.Max(1, (int)Math.Max(Distance(p[0], p[1]), Distance(p[2], p[3])));
        var height = Math.Max(1, (int)Math.Max(Distance(p[0], p[3]), Distance(p[1], p[2])));
        var rgb = new byte[width * height * 3];
        for (var v = 0; v < height; v++)
        {
            for (var u = 0; u < width; u++)
            {
                double fu = (double)u / width, fv = (double)v / height;
                var sx = p[0].X + (fu * (p[1].X - p[0].X)) + (fv * (p[3].X - p[0].X));
                var sy = p[0].Y + (fu * (p[1].Y - p[0].Y)) + (fv * (p[3].Y - p[0].Y));
                Sample(image, sx, sy, rgb.AsSpan(((v * width) + u) * 3, 3));
            }
        }
        var crop = new OcrImage(width, height, rgb);
        return height >= 1.5 * width ? RotateCounterClockwise(crop) : crop;
    }

    /// <summary>The image turned half a turn (what the direction classifier's "180" label asks for).</summary>
    public static OcrImage Rotate180(OcrImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        var n = image.Width * image.Height;
        var rgb = new byte[n * 3];
        for (var i = 0; i < n; i++)
        {
            image.Rgb.AsSpan(i * 3, 3).CopyTo(rgb.AsSpan((n - 1 - i) * 3, 3));
        }
        return new OcrImage(image.Width, image.Height, rgb);
    }

    private static OcrImage RotateCounterClockwise(OcrImage image)
    {
        int w = image.Height, h = image.Width;
        var rgb = new byte[w * h * 3];
        for (var y = 0; y < h; y++)
        {
            for (var x = 0; x < w; x++)
            {
                // np.rot90: out[y, x] = in[x, W - 1 - y].
                image.Rgb.AsSpan(((x * image.Width) + (image.Width - 1 - y)) * 3, 3).CopyTo(rgb.AsSpan(((y * w) + x) * 3, 3));
            }
        }
        return new OcrImage(w, h, rgb);
    }

    private static void Sample(OcrImage image, double x, double y, Span<byte> rgb)
    {
        var x0 = (int)Math.Floor(x);
        var y0 = (int)Math.Floor(y);
        double wx = x - x0, wy = y - y0;
        for (var c = 0; c < 3; c++)
        {
            var top = (image.At(x0, y0, c) * (1 - wx)) + (image.At(x0 + 1, y0, c) * wx);
            var bottom = (image.At(x0, y0 + 1, c) * (1 - wx)) + (image.At(x0 + 1, y0 + 1, c) * wx);
            rgb[c] = (byte)Math.Clamp(Math.Round((top * (1 - wy)) + (bottom * wy)), 0, 255);
        }
    }

    private static double Distance((double X, double Y) a, (double X, double Y) b) =>
        Math.Sqrt(((a.X - b.X) * (a.X - b.X)) + ((a.Y - b.Y) * (a.Y - b.Y)));
}
