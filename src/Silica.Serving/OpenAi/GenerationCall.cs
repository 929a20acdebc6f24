namespace Silica.Serving.OpenAi;

/// <summary>
/// A chat or text completion request as parsed from OpenAI's JSON: exactly one of <see cref="Messages"/> (chat) and
/// <see cref="Prompt"/> (completions) is set. Sampling fields are null when the client left them out.
/// </summary>
internal sealed record GenerationCall
{
    public required string Model { get; init; }

    public IReadOnlyList<ChatMessage>? Messages { get; init; }

    public string? Prompt { get; init; }

    public bool IsChat => Messages is not null;

    public int? MaxTokens { get; init; }

    /// <summary>The field <see cref="MaxTokens"/> came from (<c>max_completion_tokens</c> or <c>max_tokens</c>).</summary>
    public string MaxTokensParam { get; init; } = "max_tokens";

    public float? Temperature { get; init; }

    public float? TopP { get; init; }

    public int? TopK { get; init; }

    public long? Seed { get; init; }

    public IReadOnlyList<string>? Stop { get; init; }

    public bool Stream { get; init; }

    public bool IncludeUsage { get; init; }

    /// <summary>The field a prompt problem is reported against.</summary>
    public string PromptParam => IsChat ? "messages" : "prompt";
}
