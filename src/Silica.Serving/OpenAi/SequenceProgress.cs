using System.Diagnostics;
using System.Text;
using Silica.Runtime.Generation;

namespace Silica.Serving.OpenAi;

/// <summary>What one sequence has produced so far, and when: the source of its usage, latency metrics and trace tags.</summary>
internal sealed class SequenceProgress(long startTimestamp)
{
    private long _lastTokenTimestamp;

    public StringBuilder Text { get; } = new();

    public int PromptTokens { get; private set; }

    public int CompletionTokens { get; private set; }

    public FinishReason? Finish { get; private set; }

    public TimeSpan? TimeToFirstToken { get; private set; }

    /// <summary>Set for each item after the first: the gap since the previous token.</summary>
    public TimeSpan? LastGap { get; private set; }

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(startTimestamp);

    /// <summary>Takes one item of the engine's stream; true when it carried a token.</summary>
    public bool Add(in GeneratedToken item, bool keepText)
    {
        var now = Stopwatch.GetTimestamp();
        PromptTokens = item.PromptTokens;
        CompletionTokens = Math.Max(CompletionTokens, item.CompletionTokens);
        Finish = item.Finish ?? Finish;
        if (keepText)
        {
            Text.Append(item.Text);
        }
        LastGap = null;
        if (item.TokenId < 0)
        {
            return false;
        }
        if (TimeToFirstToken is null)
        {
            TimeToFirstToken = Stopwatch.GetElapsedTime(startTimestamp, now);
        }
        else
        {
            LastGap = Stopwatch.GetElapsedTime(_lastTokenTimestamp, now);
        }
        _lastTokenTimestamp = now;
        return true;
    }

    public TokenUsage Usage => new(PromptTokens, CompletionTokens);
}
