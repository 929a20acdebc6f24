using Silica.Onnx.Zoo;

namespace Silica.Onnx.Tests.Zoo;

[Collection(ZooCollection.Name)]
public sealed class ModelSourceTests
{
    [Theory]
    [InlineData("zoo:bert-base", true)]
    [InlineData("ZOO:mlp", true)]
    [InlineData("models/zoo:x.onnx", false)]
    [InlineData("bert-base", false)]
    [InlineData("model.onnx", false)]
    public void IsZoo_Spec_TrueOnlyForZooPrefix(string spec, bool expected) =>
        Assert.Equal(expected, ModelSource.IsZoo(spec));

    [Fact]
    public void Open_ZooSpecWithoutWeights_BuildsWeightlessModel()
    {
        var model = ModelSource.Open("zoo:bert-large", withWeights: false);
        Assert.True(model.IsWeightless);
        Assert.Equal(["input_ids", "attention_mask", "token_type_ids"], model.Graph.RuntimeInputs.Select(v => v.Name));
    }

    [Fact]
    public void Open_ZooSpec_BuildsWeightedModel()
    {
        var model = ModelSource.Open("zoo:mlp");
        Assert.False(model.IsWeightless);
        Assert.Equal("mlp", model.Metadata[ModelZoo.NameMetadataKey]);
    }

    [Fact]
    public void Open_FilePath_LoadsTheFile()
    {
        var path = ModelZoo.GetOrCreateFile("mlp");
        var model = ModelSource.Open(path);
        Assert.Equal(ModelZoo.Build("mlp").ToBytes(), model.ToBytes());
    }

    [Fact]
    public void Open_UnknownZooModel_ThrowsArgumentExceptionListingKnownModels()
    {
        var e = Assert.Throws<ArgumentException>(() => ModelSource.Open("zoo:resnet18"));
        Assert.Contains("'resnet18'", e.Message, StringComparison.Ordinal);
        Assert.Contains("resnet50", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Open_MissingFile_ThrowsOnnxFormatException()
    {
        var e = Assert.Throws<OnnxFormatException>(() => ModelSource.Open(Path.Combine(Path.GetTempPath(), "no-such-model.onnx")));
        Assert.Contains("no-such-model.onnx", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_BareZooNameWithNoSuchFile_SuggestsZooPrefix()
    {
        var e = Assert.Throws<OnnxFormatException>(() => ModelSource.Open("resnet50"));
        Assert.Contains("zoo:resnet50", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Open_EmptySpec_ThrowsArgumentException(string spec) =>
        Assert.Throws<ArgumentException>(() => ModelSource.Open(spec));
}
