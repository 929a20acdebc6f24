namespace Silica.Optimization.Ocr;

/// <summary>
/// Greedy CTC decoding of a recognizer's per-time-step class probabilities, as PaddleOCR's <c>CTCLabelDecode</c>:
/// take the best class per step, merge repeats, drop blanks; the confidence is the mean probability of the kept steps.
/// </summary>
public sealed class CtcDecoder
{
    /// <summary>Creates a decoder over a dictionary.</summary>
    public CtcDecoder(OcrDictionary dictionary)
    {
        ArgumentNullException.ThrowIfNull(dictionary);
        Dictionary = dictionary;
    }

    /// <summary>The dictionary classes map to.</summary>
    public OcrDictionary Dictionary { get; }

    /// <summary>Decodes one sequence.</summary>
    /// <param name="probabilities">Time steps × classes, row-major.</param>
    /// <param name="classes">Classes per time step; must equal the dictionary's class count.</param>
    /// <returns>The text and its confidence (0 for an empty result).</returns>
    public RecognizedText Decode(ReadOnlySpan<float> probabilities, int classes)
    {
        Dictionary.CheckClassCount(classes);
        if (probabilities.Length % classes != 0)
        {
            throw new ArgumentException($"{probabilities.Length} values are not whole time steps of {classes} classes", nameof(probabilities));
        }
        var steps = probabilities.Length / classes;
        var text = new System.Text.StringBuilder();
        double confidence = 0;
        var kept = 0;
        var previous = -1;
        for (var t = 0; t < steps; t++)
        {
            var row = probabilities.Slice(t * classes, classes);
            var best = 0;
            var bestValue = row[0];
            for (var c = 1; c < row.Length; c++)
            {
                if (row[c] > bestValue)
                {
                    best = c;
                    bestValue = row[c];
                }
            }
            if (best != 0 && best != previous)
            {
                text.Append(Dictionary.TextOf(best));
                confidence += bestValue;
                kept++;
            }
            previous = best;
        }
        return new RecognizedText(text.ToString(), kept == 0 ? 0 : confidence / kept);
    }

    /// <summary>Decodes every sequence of a recognizer output shaped [batch, time steps, classes] (float, float16 or bfloat16).</summary>
    /// <exception cref="ArgumentException">The tensor is not floating point with rank 3.</exception>
    public IReadOnlyList<RecognizedText> DecodeBatch(Silica.Runtime.Tensors.Tensor output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (output.Rank != 3 || !OutputValues.IsFloating(output.ElementType))
        {
            throw new ArgumentException($"a recognizer output must be float[batch, steps, classes], not {output}", nameof(output));
        }
        var batch = (int)output.Shape[0];
        var perItem = (int)(output.Shape[1] * output.Shape[2]);
        var classes = (int)output.Shape[2];
        var values = OutputValues.AsFloats(output);
        var result = new RecognizedText[batch];
        for (var b = 0; b < batch; b++)
        {
            result[b] = Decode(values.Slice(b * perItem, perItem), classes);
        }
        return result;
    }
}

/// <summary>A decoded text line.</summary>
/// <param name="Text">The text.</param>
/// <param name="Confidence">Mean probability of the decoded characters, 0..1.</param>
public readonly record struct RecognizedText(string Text, double Confidence);
