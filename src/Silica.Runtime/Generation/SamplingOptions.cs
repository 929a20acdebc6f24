namespace Silica.Runtime.Generation;

/// <summary>How to pick each next token and when to stop. Validated by <see cref="Validate"/> before a request joins the queue.</summary>
/// <param name="MaxTokens">The most tokens to generate (≥ 1).</param>
/// <param name="Temperature">0 means greedy; otherwise logits are divided by it (0 &lt; t ≤ 2).</param>
/// <param name="TopK">Keep only the k most likely tokens; 0 means no limit.</param>
/// <param name="TopP">Nucleus sampling: keep the smallest set whose probability reaches p (0 &lt; p ≤ 1).</param>
/// <param name="Seed">Seeds the request's own random generator, so a seeded request is reproducible.</param>
/// <param name="Stop">Stop sequences (text); generation ends before the first one and it is not returned.</param>
public sealed record SamplingOptions(
    int MaxTokens = 16,
    float Temperature = 1f,
    int TopK = 0,
    float TopP = 1f,
    long? Seed = null,
    IReadOnlyList<string>? Stop = null)
{
    /// <summary>Greedy decoding of up to <paramref name="maxTokens"/> tokens.</summary>
    public static SamplingOptions Greedy(int maxTokens) => new(maxTokens, Temperature: 0f);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first invalid field.</summary>
    public void Validate()
    {
        if (MaxTokens < 1) throw new ArgumentException($"max_tokens must be at least 1 (got {MaxTokens})");
        if (float.IsNaN(Temperature) || Temperature < 0f || Temperature > 2f) throw new ArgumentException($"temperature must be between 0 and 2 (got {Temperature})");
        if (TopK < 0) throw new ArgumentException($"top_k must be 0 or more (got {TopK})");
        if (float.IsNaN(TopP) || TopP <= 0f || TopP > 1f) throw new ArgumentException($"top_p must be in (0, 1] (got {TopP})");
        if (Stop is { Count: > 4 }) throw new ArgumentException($"at most 4 stop sequences are allowed (got {Stop.Count})");
        if (Stop is not null && Stop.Any(string.IsNullOrEmpty)) throw new ArgumentException("stop sequences must not be empty");
    }
}
