using Silica.Onnx.Model;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Ocr;

/// <summary>
/// PaddleOCR's recognizer input (<c>predict_rec.py</c> <c>resize_norm_img</c>, PP-OCRv3/v4 shape 3×48×320): each line
/// resized to height 48 keeping its aspect (width capped at the batch width), left-aligned, padded with zeros on the
/// right; channels in OpenCV's BGR order, values (x/255 − 0.5)/0.5. The batch width is 48 × the widest line's aspect,
/// at least 320.
/// </summary>
public static class RecognitionPreprocessing
{
    /// <summary>Input height of the PP-OCR recognizers.</summary>
    public const int Height = 48;

    /// <summary>The narrowest batch PaddleOCR builds (its <c>rec_image_shape</c> width).</summary>
    public const int MinWidth = 320;

    /// <summary>Width steps: the PP-OCR recognizers downsample width by 8, one output time step per 8 pixels.</summary>
    public const int WidthStep = 8;

    /// <summary>The width a line takes at height 48.</summary>
    public static int ScaledWidth(OcrImage image)
    {
        ArgumentNullException.ThrowIfNull(image);
        return (int)Math.Ceiling(Height * (double)image.Width / image.Height);
    }

    /// <summary>The batch width for some lines: the widest line's, at least <see cref="MinWidth"/>, rounded up to <see cref="WidthStep"/>.</summary>
    public static int BatchWidth(IEnumerable<OcrImage> images)
    {
        var widest = Math.Max(MinWidth, images.Select(ScaledWidth).DefaultIfEmpty(0).Max());
        return (widest + WidthStep - 1) / WidthStep * WidthStep;
    }

    /// <summary>A float[n, 3, 48, width] input for the recognizer.</summary>
    public static Tensor ToTensor(IReadOnlyList<OcrImage> images, int width)
    {
        ArgumentNullException.ThrowIfNull(images);
        if (images.Count == 0)
        {
            throw new ArgumentException("no images to recognize", nameof(images));
        }
        var plane = Height * width;
        var data = new float[images.Count * 3 * plane];
        for (var i = 0; i < images.Count; i++)
        {
            Write(images[i], data.AsSpan(i * 3 * plane, 3 * plane), width);
        }
        return Tensor.FromArray(data, [images.Count, 3, Height, width]);
    }

    /// <summary>Writes one line as 3 × 48 × <paramref name="width"/> floats.</summary>
    public static void Write(OcrImage image, Span<float> chw, int width)
    {
        ArgumentNullException.ThrowIfNull(image);
        var plane = Height * width;
        if (chw.Length != 3 * plane)
        {
            throw new ArgumentException($"{chw.Length} floats do not hold 3x{Height}x{width}", nameof(chw));
        }
        chw.Clear();
        var resizedWidth = Math.Min(width, ScaledWidth(image));
        var resized = image.Resize(resizedWidth, Height);
        for (var y = 0; y < Height; y++)
        {
            for (var x = 0; x < resizedWidth; x++)
            {
                var p = ((y * resizedWidth) + x) * 3;
                for (var c = 0; c < 3; c++)
                {
                    // Output channel c holds BGR's c-th: B from RGB's 2, G from 1, R from 0.
                    chw[(c * plane) + (y * width) + x] = (resized.Rgb[p + 2 - c] / 255f - 0.5f) / 0.5f;
                }
            }
        }
    }

    /// <summary>Checks that a recognizer session takes float[n, 3, 48, w].</summary>
    internal static void CheckInput(Silica.Runtime.Backends.TensorInfo input)
    {
        if (input.ElementType != TensorDataType.Float || input.Shape.Rank != 4)
        {
            throw new ArgumentException($"a recognizer takes float[n,3,{Height},w]; this one takes {input}");
        }
    }
}
