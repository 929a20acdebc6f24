using System.Globalization;
using Silica.Onnx.Model;
using Silica.Optimization.Ocr;
using Silica.Runtime.Backends;

namespace Silica.Optimization.Data;

/// <summary>
/// <c>ocr-lines[:N]</c>: N text lines rendered here with their ground truth (<see cref="OcrDataset"/>), preprocessed as
/// PaddleOCR's recognizer expects — a real, labelled set for the OCR recognition models, scored by character accuracy.
/// </summary>
public static class OcrLines
{
    /// <summary>The prefix that asks for rendered OCR lines.</summary>
    public const string Prefix = "ocr-lines";

    /// <summary>Lines rendered when no count is given (the issue's acceptance set size).</summary>
    public const int DefaultCount = 200;

    /// <summary>True when <paramref name="spec"/> asks for rendered OCR lines.</summary>
    public static bool IsOcrLines(string? spec) =>
        spec is not null && (spec == Prefix || spec.StartsWith(Prefix + ":", StringComparison.Ordinal));

    /// <summary>
    /// The first DejaVu Sans found: the system's (Debian package <c>fonts-dejavu-core</c>), then the test-data cache that
    /// <c>scripts/fetch-test-data.sh</c> fills (<c>$SILICA_TESTDATA/fonts</c>); null when neither exists.
    /// </summary>
    public static string? DefaultFont()
    {
        string?[] candidates =
        [
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
            Environment.GetEnvironmentVariable("SILICA_TESTDATA") is { Length: > 0 } cache ? Path.Combine(cache, "fonts", "DejaVuSans.ttf") : null,
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    /// <summary>Renders the lines <paramref name="spec"/> asks for, for a recognizer with <paramref name="inputs"/>.</summary>
    /// <param name="spec"><c>ocr-lines</c> or <c>ocr-lines:N</c>.</param>
    /// <param name="inputs">The model's runtime inputs: one float[batch,3,48,width].</param>
    /// <param name="bindings">Sizes of symbolic dimensions (a bound width sets the line width).</param>
    /// <param name="fontPath">A TrueType font with ASCII glyphs; null uses <see cref="DefaultFont"/>.</param>
    /// <param name="seed">Fixes the text and looks.</param>
    /// <exception cref="SampleDataException">A bad count, a model that is not a recognizer, or no font.</exception>
    public static SampleSet Load(string spec, IReadOnlyList<TensorInfo> inputs, IReadOnlyDictionary<string, long> bindings, string? fontPath, int seed)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(bindings);
        var count = DefaultCount;
        if (spec.Length > Prefix.Length
            && (!int.TryParse(spec.AsSpan(Prefix.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > 10_000))
        {
            throw new SampleDataException($"'{spec}': the line count must be an integer from 1 to 10000, e.g. ocr-lines:200");
        }
        if (inputs is not [{ ElementType: TensorDataType.Float, Shape.Rank: 4 } input]
            || input.Shape[1].Value is not (null or 3) || input.Shape[2].Value is not (null or RecognitionPreprocessing.Height))
        {
            throw new SampleDataException(
                $"ocr-lines feeds PaddleOCR text recognizers (one input float[batch,3,48,width]); this model takes {string.Join(", ", inputs)}");
        }
        var widthDim = input.Shape[3];
        var width = widthDim.Value ?? (widthDim.IsSymbolic && bindings.TryGetValue(widthDim.Symbol!, out var bound) ? bound : OcrDataset.DefaultLineWidth);
        if (width < RecognitionPreprocessing.MinWidth || width % RecognitionPreprocessing.WidthStep != 0 || width > 4096)
        {
            throw new SampleDataException(
                $"ocr-lines needs a line width from {RecognitionPreprocessing.MinWidth} to 4096 in steps of {RecognitionPreprocessing.WidthStep}; input '{input.Name}' gives {width}");
        }
        var font = fontPath ?? DefaultFont()
            ?? throw new SampleDataException("ocr-lines needs a TrueType font: install fonts-dejavu-core, run scripts/fetch-test-data.sh, or pass --ocr-font");
        if (!File.Exists(font))
        {
            throw new SampleDataException($"font '{font}' does not exist");
        }
        return OcrDataset.RecognitionLines(count, seed, font, (int)width, input.Name);
    }
}
