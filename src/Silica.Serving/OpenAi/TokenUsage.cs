namespace Silica.Serving.OpenAi;

/// <summary>OpenAI's <c>usage</c> object: prompt and completion token counts.</summary>
internal readonly record struct TokenUsage(int PromptTokens, int CompletionTokens)
{
    public int TotalTokens => PromptTokens + CompletionTokens;
}
