using Silica.Runtime.Generation.Tokenization;

namespace Silica.Runtime.Tests.Generation.Tokenization;

public sealed class TokenizerJsonTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("silica-tokenizer-json-");

    [Fact]
    public void Load_Gpt2VocabularyAsTokenizerJson_EncodesLikeTheServedGpt2Tokenizer()
    {
        Gpt2TokenizerJsonFixture.Write(_folder.FullName);
        var tokenizer = TokenizerJson.Load(Path.Combine(_folder.FullName, "tokenizer.json"));
        var text = "Hello world! Silica serves decoders: GPT-2, Llama 3 (8B) — with a KV cache, at 1,024 tokens/s. Ünïcode 🌍\n  indented";

        Assert.Equal([15496, 995], tokenizer.Encode("Hello world"));
        Assert.Equal(Gpt2Tokenizer.Instance.Encode(text), tokenizer.Encode(text));
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        Assert.Equal(50256, tokenizer.EndOfSequenceId);
        Assert.EndsWith("tokenizer.json", tokenizer.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WordPieceModel_FailsWithOneLineNamingTheType()
    {
        var path = Path.Combine(_folder.FullName, "tokenizer.json");
        File.WriteAllText(path, """{"model": {"type": "WordPiece", "vocab": {"a": 0}}, "pre_tokenizer": {"type": "BertPreTokenizer"}}""");
        var e = Assert.Throws<InvalidDataException>(() => TokenizerJson.Load(path));
        Assert.Contains("WordPiece", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Load_SentencePieceStyleBpe_FailsNamingByteFallback()
    {
        var path = Path.Combine(_folder.FullName, "tokenizer.json");
        File.WriteAllText(path, """{"model": {"type": "BPE", "byte_fallback": true, "vocab": {"a": 0}, "merges": []}, "pre_tokenizer": {"type": "Metaspace"}}""");
        var e = Assert.Throws<InvalidDataException>(() => TokenizerJson.Load(path));
        Assert.Contains("byte_fallback", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotJson_FailsWithInvalidData()
    {
        var path = Path.Combine(_folder.FullName, "tokenizer.json");
        File.WriteAllText(path, "not json");
        Assert.Throws<InvalidDataException>(() => TokenizerJson.Load(path));
        Assert.Throws<FileNotFoundException>(() => TokenizerJson.Load(Path.Combine(_folder.FullName, "missing.json")));
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
