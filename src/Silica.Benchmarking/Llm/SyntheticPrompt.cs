namespace Silica.Benchmarking.Llm;

/// <summary>
/// Prompts of a given length made of common English words, each a single token (with its leading space) in GPT-2's
/// BPE and close to one in other sub-word vocabularies, so a prompt of N words is about N tokens on any server.
/// The server's own count (<c>usage.prompt_tokens</c>) is what the report shows.
/// </summary>
public static class SyntheticPrompt
{
    private static readonly string[] Words =
    [
        "the", "of", "and", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on", "not", "he",
        "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "had", "they", "you", "were", "their",
        "one", "all", "we", "can", "her", "has", "there", "been", "if", "more", "when", "will", "would", "who", "so", "no",
    ];

    /// <summary>A prompt of <paramref name="words"/> words, the same for the same seed.</summary>
    public static string Text(int words, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(words, 1);
        var random = new Random(seed);
        return string.Join(' ', Enumerable.Range(0, words).Select(_ => Words[random.Next(Words.Length)]));
    }
}
