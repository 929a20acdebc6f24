using Silica.Runtime.Generation.Tokenization;

namespace Silica.Runtime.Tests.Generation.Tokenization;

public sealed class Gpt2TokenizerTests
{
    public static TheoryData<string> RealTexts() => new(
        "The quick brown fox jumps over the lazy dog.",
        "  Leading spaces, trailing spaces   \n\nand\tnewlines\r\n",
        "Héllo wörld: naïve café, Ελληνικά, 日本語のテキスト, emoji 🌍🚀 and ☃.",
        "def f(x):\n    return x ** 2  # code with symbols {}[]<>!=@#$%^&*",
        "It's we'll they're I've I'm she'd — contractions and an em dash.");

    [Fact]
    public void Encode_HelloWorld_IsGpt2sKnownIds()
    {
        Assert.Equal([15496, 995], Gpt2Tokenizer.Instance.Encode("Hello world"));
        Assert.Equal([464, 2068, 7586, 21831], Gpt2Tokenizer.Instance.Encode("The quick brown fox"));
    }

    [Theory]
    [MemberData(nameof(RealTexts))]
    public void EncodeThenDecode_RealText_RoundTripsExactly(string text)
    {
        var ids = Gpt2Tokenizer.Instance.Encode(text);
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.InRange(id, 0, Gpt2Tokenizer.VocabularySize - 1));
        Assert.Equal(text, Gpt2Tokenizer.Instance.Decode(ids));
    }

    [Fact]
    public void EndOfSequence_IsEndOfText()
    {
        Assert.Equal(50256, Gpt2Tokenizer.Instance.EndOfSequenceId);
        Assert.Equal("<|endoftext|>", Gpt2Tokenizer.Instance.Decode([50256]));
        Assert.Contains("Gpt2", Gpt2Tokenizer.Instance.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Decode_IdsSplitInsideAMultiByteCharacter_JoinedIdsDecodeTheCharacter()
    {
        // An emoji is several byte-level tokens; only the whole sequence decodes to it.
        var ids = Gpt2Tokenizer.Instance.Encode("🌍");
        Assert.True(ids.Count > 1);
        Assert.Equal("🌍", Gpt2Tokenizer.Instance.Decode(ids));
    }
}
