namespace Silica.Optimization.Ocr;

/// <summary>How well recognized text matches the truth over a set of lines.</summary>
/// <param name="Edits">Total edit distance between recognized and true lines.</param>
/// <param name="Characters">Total characters of the true lines.</param>
/// <param name="Lines">Lines scored.</param>
/// <param name="ExactLines">Lines read without a single error.</param>
public sealed record CharacterAccuracy(long Edits, long Characters, int Lines, int ExactLines)
{
    /// <summary>1 − Σedits / Σcharacters (can fall below 0 when the reader inserts much more than there is).</summary>
    public double Accuracy => Characters == 0 ? 1 : 1 - ((double)Edits / Characters);

    /// <summary>
    /// Scores recognized lines against the truth, pairwise. Spaces at either end of a line are dropped first: the
    /// PP-OCR recognizers often read the blank margin of a crop as a space, which is no error in the line's text.
    /// Spaces inside a line count like any character (PaddleOCR's own metric ignores them all by default).
    /// </summary>
    public static CharacterAccuracy Of(IReadOnlyList<string> recognized, IReadOnlyList<string> truth)
    {
        ArgumentNullException.ThrowIfNull(recognized);
        ArgumentNullException.ThrowIfNull(truth);
        if (recognized.Count != truth.Count)
        {
            throw new ArgumentException($"{recognized.Count} recognized lines for {truth.Count} true lines");
        }
        long edits = 0, chars = 0;
        var exact = 0;
        for (var i = 0; i < truth.Count; i++)
        {
            var t = truth[i].Trim(' ');
            var e = EditDistance.Between(recognized[i].Trim(' '), t);
            edits += e;
            chars += t.Length;
            exact += e == 0 ? 1 : 0;
        }
        return new CharacterAccuracy(edits, chars, truth.Count, exact);
    }

    /// <summary>Accuracy as a percentage with the counts.</summary>
    public override string ToString() => $"{Accuracy:P2} ({Edits} edits / {Characters} chars, {ExactLines}/{Lines} lines exact)";
}
