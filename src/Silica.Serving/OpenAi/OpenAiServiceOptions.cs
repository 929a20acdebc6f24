using Silica.Runtime.Generation;

namespace Silica.Serving.OpenAi;

/// <summary>How <see cref="OpenAiService"/> turns <c>/v1/embeddings</c> text into an encoder's token ids.</summary>
public sealed record OpenAiServiceOptions
{
    /// <summary>
    /// Splits embeddings input into sub-word ids; null refuses text input (token-id arrays still work). The ids are
    /// folded into the encoder's vocabulary (see <see cref="EncoderVocabularySize"/>) between <c>[CLS]</c> and
    /// <c>[SEP]</c>: with the zoo's synthetic BERT weights no vocabulary is more right than another, and a real
    /// BERT's WordPiece vocabulary is not available offline, so Silica uses the GPT-2 BPE it ships.
    /// </summary>
    public ITextTokenizer? EmbeddingTokenizer { get; init; }

    /// <summary>The encoder's vocabulary size (BERT's 30,522 by default).</summary>
    public int EncoderVocabularySize { get; init; } = 30522;

    /// <summary>The most tokens one input may have, <c>[CLS]</c> and <c>[SEP]</c> included (BERT's 512 positions).</summary>
    public int EncoderMaxTokens { get; init; } = 512;
}
