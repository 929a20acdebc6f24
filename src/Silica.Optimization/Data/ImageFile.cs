using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using SkiaSharp;

namespace Silica.Optimization.Data;

/// <summary>Decodes a PNG or JPEG with SkiaSharp and applies an <see cref="ImagePreprocessing"/> to make an NCHW tensor.</summary>
internal static class ImageFile
{
    private static readonly float[] ImageNetMean = [0.485f, 0.456f, 0.406f];
    private static readonly float[] ImageNetStd = [0.229f, 0.224f, 0.225f];

    /// <summary>Width used for a dynamic-width recognizer input, as PaddleOCR's default <c>rec_image_shape</c> (3,48,320).</summary>
    private const int DefaultOcrWidth = 320;

    public static RawTensor Read(string path, TensorInfo input, IReadOnlyDictionary<string, long> bindings, ImagePreprocessing mode)
    {
        if (input.ElementType != TensorDataType.Float || input.Shape.Rank != 4 || input.Shape[1].Value is not (null or 3))
        {
            throw new SampleDataException(
                $"'{path}': images feed float NCHW inputs with 3 channels; input '{input.Name}' is {input.ElementType.DisplayName()}{InputFit.Expected(input.Shape, bindings)}");
        }
        var height = Size(input, 2, bindings, null, path);
        var width = Size(input, 3, bindings, mode == ImagePreprocessing.OcrRecognition ? DefaultOcrWidth : null, path);
        using var decoded = SKBitmap.Decode(path) ?? throw new SampleDataException($"'{path}' is not a readable PNG or JPEG image");
        var resizedWidth = mode == ImagePreprocessing.OcrRecognition
            ? Math.Clamp((int)Math.Ceiling(height * (double)decoded.Width / decoded.Height), 1, width)
            : width;
        var info = new SKImageInfo(resizedWidth, height, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using var resized = decoded.Resize(info, new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.None))
            ?? throw new SampleDataException($"'{path}' could not be resized to {resizedWidth}x{height}");
        var pixels = resized.Pixels;
        var data = new float[3 * height * width];
        var plane = height * width;
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < resizedWidth; x++)
            {
                var p = pixels[(y * resizedWidth) + x];
                ReadOnlySpan<byte> rgb = [p.Red, p.Green, p.Blue];
                for (var c = 0; c < 3; c++)
                {
                    var v = rgb[c] / 255f;
                    data[(c * plane) + (y * width) + x] = mode switch
                    {
                        ImagePreprocessing.ImageNet => (v - ImageNetMean[c]) / ImageNetStd[c],
                        ImagePreprocessing.OcrRecognition => (v - 0.5f) / 0.5f,
                        _ => v,
                    };
                }
            }
        }
        var bytes = new byte[data.Length * sizeof(float)];
        Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
        return new RawTensor(TensorDataType.Float, [1, 3, height, width], bytes);
    }

    private static int Size(TensorInfo input, int axis, IReadOnlyDictionary<string, long> bindings, int? fallback, string path)
    {
        var dim = input.Shape[axis];
        long? size = dim.Value ?? (dim.IsSymbolic && bindings.TryGetValue(dim.Symbol!, out var b) ? b : fallback);
        if (size is not { } s || s <= 0 || s > 16384)
        {
            throw new SampleDataException(
                $"'{path}': input '{input.Name}' dimension {axis} ('{dim}') has no size to resize the image to; bind it, e.g. --bind {dim.Symbol ?? "height"}=224");
        }
        return (int)s;
    }
}
