namespace Silica.Benchmarking.Llm;

/// <summary>One benchmark request: a prompt of about <see cref="PromptTokens"/> tokens and the tokens to generate.</summary>
/// <param name="Index">Its place in the schedule.</param>
/// <param name="PromptTokens">The prompt length asked for.</param>
/// <param name="OutputTokens">The max tokens asked for.</param>
/// <param name="PromptSeed">Seeds the prompt's words, so every run of a seed sends the same prompts.</param>
public sealed record LlmRequest(int Index, int PromptTokens, int OutputTokens, int PromptSeed);

/// <summary>What one request measured. Times are from its scheduled send time, so queueing in the client counts.</summary>
/// <param name="Error">Null on success, else the one-line reason.</param>
/// <param name="PromptTokens">Prompt tokens as the server counted them.</param>
/// <param name="OutputTokens">Tokens generated.</param>
/// <param name="TimeToFirstToken">Scheduled send to the first generated text.</param>
/// <param name="EndToEnd">Scheduled send to the end of the answer.</param>
public sealed record LlmOutcome(string? Error, int PromptTokens, int OutputTokens, TimeSpan TimeToFirstToken, TimeSpan EndToEnd)
{
    /// <summary>Mean time per output token after the first; null for fewer than two tokens.</summary>
    public TimeSpan? TimePerOutputToken => OutputTokens > 1 ? (EndToEnd - TimeToFirstToken) / (OutputTokens - 1) : null;

    /// <summary>A failed request.</summary>
    public static LlmOutcome Failed(string error, TimeSpan elapsed) => new(error, 0, 0, TimeSpan.Zero, elapsed);
}
