namespace Silica.Runtime.Generation.Sampling;

/// <summary>
/// Turns a sequence's growing token list into text deltas safe to stream. It holds back (a) a trailing incomplete
/// UTF-8 character, which the tokenizer decodes as U+FFFD until its last byte arrives, and (b) any tail that could
/// be the start of a stop sequence; when a stop sequence appears, the text before it is released and the stop text
/// itself never is (OpenAI's <c>stop</c> semantics).
/// </summary>
internal sealed class StopSequenceFilter(ITextTokenizer tokenizer, IReadOnlyList<string>? stops)
{
    private const char Replacement = '\uFFFD';

    private int _emitted;

    /// <summary>Characters released so far.</summary>
    public int EmittedLength => _emitted;

    /// <summary>Decodes <paramref name="outputTokens"/> and returns the text that may now be released.</summary>
    /// <param name="outputTokens">All generated tokens so far (without the end-of-sequence token).</param>
    /// <param name="stopped">True when a stop sequence was found; the sequence must end.</param>
    public string Advance(IReadOnlyList<int> outputTokens, out bool stopped) =>
        Advance(tokenizer.Decode(outputTokens), out stopped);

    /// <summary>The same as <see cref="Advance(IReadOnlyList{int}, out bool)"/> on already decoded text.</summary>
    public string Advance(string text, out bool stopped)
    {
        stopped = false;
        if (text.Length < _emitted)
        {
            // A tokenizer that re-spells earlier text: never take back what was sent, send nothing more until it grows past it.
            return "";
        }
        if (stops is { Count: > 0 })
        {
            var stopAt = -1;
            foreach (var stop in stops)
            {
                var from = Math.Max(0, _emitted - stop.Length + 1);
                var at = text.IndexOf(stop, from, StringComparison.Ordinal);
                if (at >= 0 && (stopAt < 0 || at < stopAt))
                {
                    stopAt = at;
                }
            }
            if (stopAt >= 0)
            {
                stopped = true;
                return Release(text, Math.Max(stopAt, _emitted));
            }
        }
        var end = text.Length;
        while (end > _emitted && text[end - 1] == Replacement)
        {
            end--;
        }
        end -= HeldForStop(text, end);
        return Release(text, end);
    }

    /// <summary>Releases everything still held (the sequence ended for a reason other than a stop sequence).</summary>
    public string Flush(IReadOnlyList<int> outputTokens) => Flush(tokenizer.Decode(outputTokens));

    /// <summary>The same as <see cref="Flush(IReadOnlyList{int})"/> on already decoded text.</summary>
    public string Flush(string text) => text.Length <= _emitted ? "" : Release(text, text.Length);

    // The longest tail of text[..end] (not yet released) that is a proper prefix of some stop sequence.
    private int HeldForStop(string text, int end)
    {
        if (stops is not { Count: > 0 })
        {
            return 0;
        }
        var held = 0;
        var available = end - _emitted;
        foreach (var stop in stops)
        {
            for (var k = Math.Min(stop.Length - 1, available); k > held; k--)
            {
                if (string.CompareOrdinal(text, end - k, stop, 0, k) == 0)
                {
                    held = k;
                    break;
                }
            }
        }
        return held;
    }

    private string Release(string text, int end)
    {
        if (end <= _emitted)
        {
            return "";
        }
        var delta = text[_emitted..end];
        _emitted = end;
        return delta;
    }
}
