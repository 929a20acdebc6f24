namespace Silica.Runtime.Generation;

/// <summary>Why a sequence stopped.</summary>
public enum FinishReason
{
    /// <summary>It reached its max tokens or the model's context length.</summary>
    Length,

    /// <summary>It produced the end-of-sequence token or a stop sequence.</summary>
    Stop,

    /// <summary>The caller cancelled it (a client that went away); its cache blocks were freed.</summary>
    Cancelled,
}

/// <summary>
/// One step of a sequence's output. <see cref="Text"/> is the text this token adds (it may be empty while a
/// multi-byte character or a possible stop sequence is held back). The last item has <see cref="Finish"/> set.
/// </summary>
/// <param name="TokenId">The sampled token, or -1 on a final item that carries no token.</param>
/// <param name="Text">The decoded text this item adds.</param>
/// <param name="Finish">Set on the sequence's last item.</param>
/// <param name="PromptTokens">The prompt's token count.</param>
/// <param name="CompletionTokens">Tokens generated so far, including this one.</param>
public readonly record struct GeneratedToken(int TokenId, string Text, FinishReason? Finish, int PromptTokens, int CompletionTokens);
