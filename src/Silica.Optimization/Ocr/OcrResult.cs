namespace Silica.Optimization.Ocr;

/// <summary>One detected and recognized text region.</summary>
/// <param name="Box">Where it is, in image pixels.</param>
/// <param name="Text">What it says.</param>
/// <param name="Confidence">The recognizer's mean character probability.</param>
public sealed record OcrLine(TextBox Box, string Text, double Confidence);

/// <summary>What the pipeline read on an image: regions in reading order (top to bottom, then left to right).</summary>
/// <param name="Regions">The recognized regions.</param>
public sealed record OcrResult(IReadOnlyList<OcrLine> Regions)
{
    /// <summary>
    /// The text as lines: regions whose vertical centres lie within half a region's height of each other form one
    /// line, joined left to right with a space (the detector sometimes splits a line at wide gaps).
    /// </summary>
    public IReadOnlyList<string> TextLines
    {
        get
        {
            var lines = new List<List<OcrLine>>();
            foreach (var region in Regions.OrderBy(r => r.Box.CenterY))
            {
                var h = region.Box.Bottom - region.Box.Top;
                var line = lines.LastOrDefault();
                if (line is not null && Math.Abs(line[0].Box.CenterY - region.Box.CenterY) < h / 2)
                {
                    line.Add(region);
                }
                else
                {
                    lines.Add([region]);
                }
            }
            return [.. lines.Select(l => string.Join(' ', l.OrderBy(r => r.Box.Left).Select(r => r.Text.Trim(' '))))];
        }
    }

    /// <summary>All text, lines joined with newlines.</summary>
    public string Text => string.Join('\n', TextLines);
}
