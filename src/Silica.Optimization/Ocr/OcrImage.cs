namespace Silica.Optimization.Ocr;

/// <summary>
/// An 8-bit RGB image, rows top to bottom, three bytes per pixel. The OCR pipeline's currency: the renderer
/// draws into it, preprocessing reads it, crops are cut from it.
/// </summary>
public sealed class OcrImage
{
    /// <summary>Wraps RGB pixels (three bytes per pixel, row-major, no row padding).</summary>
    /// <exception cref="ArgumentException">The size is not positive or the pixels do not fill it.</exception>
    public OcrImage(int width, int height, byte[] rgb)
    {
        ArgumentNullException.ThrowIfNull(rgb);
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentException($"image size {width}x{height} is not positive");
        }
        if (rgb.Length != checked(width * height * 3))
        {
            throw new ArgumentException($"{rgb.Length} bytes do not fill a {width}x{height} RGB image ({width * height * 3} bytes)", nameof(rgb));
        }
        Width = width;
        Height = height;
        Rgb = rgb;
    }

    /// <summary>Width in pixels.</summary>
    public int Width { get; }

    /// <summary>Height in pixels.</summary>
    public int Height { get; }

    /// <summary>The pixels: R, G, B per pixel, row-major.</summary>
    public byte[] Rgb { get; }

    /// <summary>A white image.</summary>
    public static OcrImage Blank(int width, int height)
    {
        var rgb = new byte[checked(width * height * 3)];
        rgb.AsSpan().Fill(255);
        return new OcrImage(width, height, rgb);
    }

    /// <summary>One channel of one pixel, coordinates clamped to the image (border replicate).</summary>
    internal byte At(int x, int y, int channel) =>
        Rgb[((Math.Clamp(y, 0, Height - 1) * Width) + Math.Clamp(x, 0, Width - 1)) * 3 + channel];

    /// <summary>
    /// Resizes with bilinear interpolation on pixel centres (OpenCV's <c>INTER_LINEAR</c>, which PaddleOCR's
    /// preprocessing uses), so the models see what they saw in training.
    /// </summary>
    public OcrImage Resize(int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            throw new ArgumentException($"resize target {width}x{height} is not positive");
        }
        var dst = new byte[width * height * 3];
        var sx = (double)Width / width;
        var sy = (double)Height / height;
        for (var y = 0; y < height; y++)
        {
            var fy = Math.Max(0, ((y + 0.5) * sy) - 0.5);
            var y0 = Math.Min((int)fy, Height - 1);
            var y1 = Math.Min(y0 + 1, Height - 1);
            var wy = fy - y0;
            for (var x = 0; x < width; x++)
            {
                var fx = Math.Max(0, ((x + 0.5) * sx) - 0.5);
                var x0 = Math.Min((int)fx, Width - 1);
                var x1 = Math.Min(x0 + 1, Width - 1);
                var wx = fx - x0;
                for (var c = 0; c < 3; c++)
                {
                    var top = (Rgb[((y0 * Width) + x0) * 3 + c] * (1 - wx)) + (Rgb[((y0 * Width) + x1) * 3 + c] * wx);
                    var bottom = (Rgb[((y1 * Width) + x0) * 3 + c] * (1 - wx)) + (Rgb[((y1 * Width) + x1) * 3 + c] * wx);
                    dst[((y * width) + x) * 3 + c] = (byte)Math.Clamp(Math.Round((top * (1 - wy)) + (bottom * wy)), 0, 255);
                }
            }
        }
        return new OcrImage(width, height, dst);
    }
}
