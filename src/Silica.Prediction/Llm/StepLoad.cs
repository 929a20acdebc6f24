namespace Silica.Prediction.Llm;

/// <summary>
/// What one forward step of a decoder processes, summed over the sequences in it: new tokens (one per decoding sequence,
/// a chunk of prompt per prefilling one), the query-key pairs attention scores, the cached tokens whose keys and values
/// are read, and the tokens that need logits.
/// </summary>
/// <param name="Sequences">Sequences in the step.</param>
/// <param name="NewTokens">Tokens run through the layers.</param>
/// <param name="AttentionPairs">Query-key pairs scored (causal: a chunk of n after c cached tokens scores n·c + n(n+1)/2).</param>
/// <param name="CachedTokensRead">Tokens whose cached keys and values are read (each sequence's cache once per step).</param>
/// <param name="LogitTokens">Tokens whose logits are computed: one per sequence that emits a token.</param>
public readonly record struct StepLoad(int Sequences, long NewTokens, double AttentionPairs, long CachedTokensRead, int LogitTokens)
{
    /// <summary>A decode step: <paramref name="batch"/> sequences with <paramref name="cachedTokens"/> tokens cached each, one new token each.</summary>
    public static StepLoad Decode(int batch, long cachedTokens) =>
        new(batch, batch, batch * (double)(cachedTokens + 1), batch * cachedTokens, batch);

    /// <summary>A prefill of <paramref name="batch"/> prompts of <paramref name="promptTokens"/> each, from an empty cache, ending in one logit each.</summary>
    public static StepLoad Prefill(int batch, long promptTokens) =>
        new(batch, batch * promptTokens, batch * promptTokens * (promptTokens + 1) / 2.0, 0, batch);

    /// <summary>One sequence's share: <paramref name="newTokens"/> after <paramref name="cachedTokens"/>, with a logit when <paramref name="emits"/>.</summary>
    public static StepLoad Chunk(long newTokens, long cachedTokens, bool emits) =>
        new(1, newTokens, (newTokens * (double)cachedTokens) + (newTokens * (newTokens + 1) / 2.0), cachedTokens, emits ? 1 : 0);

    /// <summary>The two loads in one step.</summary>
    public static StepLoad operator +(StepLoad a, StepLoad b) => new(
        a.Sequences + b.Sequences, a.NewTokens + b.NewTokens, a.AttentionPairs + b.AttentionPairs,
        a.CachedTokensRead + b.CachedTokensRead, a.LogitTokens + b.LogitTokens);
}
