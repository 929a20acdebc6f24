namespace Silica.Runtime.Generation;

/// <summary>A prompt does not fit the model's context length.</summary>
public sealed class PromptTooLongException : ArgumentException
{
    /// <summary>Creates the exception for a prompt of <paramref name="promptTokens"/> tokens against <paramref name="contextLength"/>.</summary>
    public PromptTooLongException(int promptTokens, int contextLength)
        : base($"the prompt has {promptTokens} tokens; this model's context length is {contextLength} (prompt plus output)")
    {
        PromptTokens = promptTokens;
        ContextLength = contextLength;
    }

    /// <summary>Creates the exception with a message.</summary>
    public PromptTooLongException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the cause.</summary>
    public PromptTooLongException(string message, Exception inner) : base(message, inner) { }

    /// <summary>Creates the exception.</summary>
    public PromptTooLongException() { }

    /// <summary>The prompt's token count.</summary>
    public int PromptTokens { get; }

    /// <summary>The model's context length.</summary>
    public int ContextLength { get; }
}
