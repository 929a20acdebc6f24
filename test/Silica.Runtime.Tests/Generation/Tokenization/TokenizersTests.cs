using Silica.Onnx.Zoo;
using Silica.Runtime.Generation.Tokenization;

namespace Silica.Runtime.Tests.Generation.Tokenization;

public sealed class TokenizersTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("silica-tokenizers-");

    [Theory]
    [InlineData("gpt2")]
    [InlineData("zoo:gpt2-medium")]
    [InlineData("llama-tiny")]
    [InlineData("zoo:llama-160m")]
    [InlineData("gpt2-small-prefill")]
    public void ForModel_ZooModelOnGpt2Vocabulary_IsTheServedGpt2Tokenizer(string name)
    {
        Assert.Same(Gpt2Tokenizer.Instance, Tokenizers.ForModel(name));
    }

    [Fact]
    public void ForModel_ZooModelWithoutServedVocabulary_FailsNamingIt()
    {
        var e = Assert.Throws<ArgumentException>(() => Tokenizers.ForModel("zoo:llama-3-8b"));
        Assert.Contains("llama-3-8b", e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Tokenizers.ForModel("zoo:no-such-model"));
    }

    [Fact]
    public void ForModel_ModelFileWithTokenizerJsonBeside_LoadsIt()
    {
        var model = Path.Combine(_folder.FullName, "model.onnx");
        ModelZoo.Build("llama-tiny", new ZooBuildOptions { WithWeights = false }).Save(model);
        Gpt2TokenizerJsonFixture.Write(_folder.FullName);

        var tokenizer = Tokenizers.ForModel(model);

        Assert.IsType<TokenizerJson>(tokenizer);
        Assert.Equal([15496, 995], tokenizer.Encode("Hello world"));
        Assert.IsType<TokenizerJson>(Tokenizers.ForModel(_folder.FullName));
    }

    [Fact]
    public void ForModel_ModelFileWithTokenizerMetadataOnly_UsesTheNamedTokenizer()
    {
        var model = Path.Combine(_folder.FullName, "decoder.onnx");
        ModelZoo.Build("gpt2", new ZooBuildOptions { WithWeights = false }).Save(model);
        Assert.Same(Gpt2Tokenizer.Instance, Tokenizers.ForModel(model));
    }

    [Fact]
    public void ForModel_ModelWithNoTokenizer_FailsWithOneLineSayingWhatToProvide()
    {
        var model = Path.Combine(_folder.FullName, "mlp.onnx");
        ModelZoo.Build("mlp", new ZooBuildOptions { WithWeights = false }).Save(model);
        var e = Assert.Throws<ArgumentException>(() => Tokenizers.ForModel(model));
        Assert.Contains("tokenizer.json", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    public void Dispose() => _folder.Delete(recursive: true);
}
