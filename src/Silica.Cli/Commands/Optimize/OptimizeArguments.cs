using System.Globalization;
using Silica.Optimization.Data;
using Silica.Optimization.Optimizer;

namespace Silica.Cli.Commands.Optimize;

/// <summary>Parsers for the optimize command's value syntaxes; each bad value is a one-line <see cref="UsageException"/>.</summary>
internal static class OptimizeArguments
{
    public static TargetPrecision Precision(string? text) =>
        TargetPrecisions.TryParse(text, out var p)
            ? p
            : throw new UsageException($"--precision must be one of {TargetPrecisions.Names}; got '{text}'");

    /// <summary>
    /// Parses <c>0.5%</c> or <c>0.5</c> (both percentage points) into an absolute fraction (0.005). A budget is how many
    /// points of a metric (top-1 agreement, character accuracy, cosine similarity) the optimized model may lose.
    /// </summary>
    public static double Budget(string text)
    {
        var t = text.Trim();
        var number = t.EndsWith('%') ? t[..^1].TrimEnd() : t;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var points) || !double.IsFinite(points) || points < 0 || points > 100)
        {
            throw new UsageException($"--accuracy-budget expects percentage points from 0 to 100, like 0.5%; got '{text}'");
        }
        return points / 100;
    }

    public static string Method(string text)
    {
        var m = text.Trim().ToLowerInvariant();
        return m is "minmax" or "percentile" or "entropy"
            ? m
            : throw new UsageException($"--method must be minmax, percentile or entropy; got '{text}'");
    }

    public static ImagePreprocessing? Preprocess(string? text) => text?.Trim().ToLowerInvariant() switch
    {
        null => null,
        "imagenet" => ImagePreprocessing.ImageNet,
        "unit" => ImagePreprocessing.Unit,
        "ocr-rec" => ImagePreprocessing.OcrRecognition,
        _ => throw new UsageException($"--preprocess must be imagenet, unit or ocr-rec; got '{text}'"),
    };

    /// <summary>Parses <c>Softmax,LayerNormalization</c>; op types are case-sensitive in ONNX, so they are kept as written.</summary>
    public static IReadOnlySet<string>? OpList(string? text, string flag)
    {
        if (text is null)
        {
            return null;
        }
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!part.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
            {
                throw new UsageException($"{flag} expects operator names like Softmax,LayerNormalization; got '{part}'");
            }
            set.Add(part);
        }
        return set;
    }
}
