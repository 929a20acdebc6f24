using Silica.Runtime.Tensors;

namespace Silica.Optimization.Ocr;

/// <summary>
/// PaddleOCR's detector input (<c>DetResizeForTest</c> with <c>limit_type: max</c>, then <c>NormalizeImage</c>):
/// the image scaled so its longer side is at most <see cref="DefaultLimitSideLength"/>, each side rounded to a
/// multiple of 32 (at least 32), values x/255 normalized with ImageNet mean and std over OpenCV's BGR channel order.
/// </summary>
public static class DetectionPreprocessing
{
    /// <summary>PaddleOCR's default <c>det_limit_side_len</c>.</summary>
    public const int DefaultLimitSideLength = 960;

    private static readonly float[] Mean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] Std = [0.229f, 0.224f, 0.225f];

    /// <summary>The size the detector sees an image at.</summary>
    public static (int Width, int Height) InputSize(int width, int height, int limitSideLength = DefaultLimitSideLength)
    {
        var ratio = Math.Max(width, height) > limitSideLength ? (double)limitSideLength / Math.Max(width, height) : 1.0;
        // Python's round() rounds halves to even, as Math.Round does by default.
        var h = Math.Max((int)Math.Round((int)(height * ratio) / 32.0) * 32, 32);
        var w = Math.Max((int)Math.Round((int)(width * ratio) / 32.0) * 32, 32);
        return (w, h);
    }

    /// <summary>A float[1, 3, h, w] detector input for an image.</summary>
    public static Tensor ToTensor(OcrImage image, int limitSideLength = DefaultLimitSideLength)
    {
        ArgumentNullException.ThrowIfNull(image);
        var (w, h) = InputSize(image.Width, image.Height, limitSideLength);
        var resized = w == image.Width && h == image.Height ? image : image.Resize(w, h);
        var plane = w * h;
        var data = new float[3 * plane];
        for (var i = 0; i < plane; i++)
        {
            for (var c = 0; c < 3; c++)
            {
                // Channel c is BGR's c-th (RGB index 2 - c); PaddleOCR applies mean[c] to it as is.
                data[(c * plane) + i] = ((resized.Rgb[(i * 3) + 2 - c] / 255f) - Mean[c]) / Std[c];
            }
        }
        return Tensor.FromArray(data, [1, 3, h, w]);
    }
}
