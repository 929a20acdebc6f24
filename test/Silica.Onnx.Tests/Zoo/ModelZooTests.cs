using System.Diagnostics;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Zoo;
using Xunit.Abstractions;

namespace Silica.Onnx.Tests.Zoo;

/// <summary>The zoo's catalogue, graphs, parameter counts, determinism and weightless builds.</summary>
[Collection(ZooCollection.Name)]
public sealed class ModelZooTests(ZooCacheFixture cache, ITestOutputHelper output)
{
    private static readonly ZooBuildOptions Weightless = new() { WithWeights = false };

    public static TheoryData<string> AllNames() => new(ModelZoo.Models.Select(m => m.Name));

    public static TheoryData<string> WeightedNames() => new("mlp", "mlp-tiny", "resnet50", "mobilenetv2", "bert-base", "gpt2-small", "llama-tiny");

    [Fact]
    public void Models_Catalogue_ListsEveryArchitectureOnce()
    {
        Assert.Equal(
            ["mlp", "mlp-tiny", "resnet50", "mobilenetv2", "bert-base", "bert-large", "gpt2-small", "gpt2-medium", "gpt2-large",
             "gpt2-small-prefill", "gpt2-medium-prefill", "llama-tiny", "llama-160m", "llama-3-8b", "llama-2-70b"],
            ModelZoo.Models.Select(m => m.Name));
        Assert.Contains("gpt2", ModelZoo.Find("gpt2-small")!.Aliases);
        Assert.All(ModelZoo.Models, m => Assert.Equal(1, m.DefaultBindings["batch"]));
        Assert.All(ModelZoo.Models.Where(m => m.Family is ZooModelFamily.Encoder or ZooModelFamily.Decoder or ZooModelFamily.DecoderWithPast),
            m => Assert.Equal(128, m.DefaultBindings["seq"]));
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void Build_Weightless_DeclaresDocumentedInputsAndTypedOutputs(string name)
    {
        var info = ModelZoo.Find(name)!;
        var watch = Stopwatch.StartNew();
        var model = ModelZoo.Build(name, Weightless);
        output.WriteLine($"{name}: weightless build {watch.Elapsed.TotalMilliseconds:F0} ms, {model.Graph.Nodes.Count} nodes");

        Assert.Equal(17, model.Opset);
        Assert.True(model.IsWeightless);
        Assert.Equal(info.Name, model.Metadata[ModelZoo.NameMetadataKey]);
        Assert.Equal(info.Inputs, Describe(model.Graph.RuntimeInputs));
        Assert.Equal(info.Outputs, Describe(model.Graph.Outputs));
    }

    [Theory]
    [MemberData(nameof(AllNames))]
    public void Build_Weightless_StoresNoWeightData(string name)
    {
        var model = ModelZoo.Build(name, Weightless);
        var withData = model.Graph.Initializers
            .Where(v => v.Initializer!.DataType == (int)TensorDataType.Float && v.Initializer.Dims.Count > 0 && TensorData.HasData(v.Initializer))
            .Select(v => v.Name);
        Assert.Empty(withData);
        // Only shape constants (and GPT-2's 1 MB causal-mask constant) are stored.
        Assert.True(model.ToBytes().Length < 1_200_000, $"{name} weightless is {model.ToBytes().Length} bytes");
    }

    [Theory]
    [MemberData(nameof(WeightedNames))]
    public void Build_WeightedAndWeightless_SameNodesAndInitializerDeclarations(string name)
    {
        var weighted = ModelZoo.Build(name);
        var weightless = ModelZoo.Build(name, Weightless);
        Assert.Equal(Signature(weighted.Graph.Nodes), Signature(weightless.Graph.Nodes));
        Assert.Equal(Declarations(weighted), Declarations(weightless));
        Assert.All(weighted.Graph.Initializers, v => Assert.True(TensorData.HasData(v.Initializer!), $"{v.Name} has no data"));
        Assert.False(weighted.IsWeightless);
    }

    [Theory]
    [InlineData("mlp", 784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10, 0)]
    [InlineData("mlp-tiny", 16 * 32 + 32 + 32 * 10 + 10, 0)]
    [InlineData("bert-base", 12, 768)]
    [InlineData("bert-large", 24, 1024)]
    [InlineData("gpt2-small", 12, 768)]
    [InlineData("gpt2-medium", 24, 1024)]
    [InlineData("gpt2-large", 36, 1280)]
    [InlineData("gpt2-small-prefill", 12, 768)]
    public void Build_DenseModels_ParameterCountMatchesArchitectureFormula(string name, long layersOrCount, long hidden)
    {
        var expected = name switch
        {
            "mlp" or "mlp-tiny" => layersOrCount,
            _ when name.StartsWith("bert", StringComparison.Ordinal) => ArchitectureCounts.Bert(layersOrCount, hidden, 4 * hidden),
            _ => ArchitectureCounts.Gpt2(layersOrCount, hidden),
        };
        var actual = ArchitectureCounts.FloatParameters(ModelZoo.Build(name, Weightless));
        output.WriteLine($"{name}: {actual:N0} parameters (formula {expected:N0})");
        Assert.InRange(actual, expected * 0.99, expected * 1.01);
    }

    [Theory]
    [InlineData("resnet50", ArchitectureCounts.ResNet50Published, 0.005)]
    [InlineData("mobilenetv2", ArchitectureCounts.MobileNetV2Published, 0.01)]
    public void Build_Cnn_ParameterCountMatchesTorchvision(string name, long published, double tolerance)
    {
        var model = ModelZoo.Build(name, Weightless);
        var trainable = ArchitectureCounts.FloatParameters(model, n => !n.EndsWith(".running_mean", StringComparison.Ordinal) && !n.EndsWith(".running_var", StringComparison.Ordinal));
        var all = ArchitectureCounts.FloatParameters(model);
        var batchNormChannels = name == "resnet50" ? ArchitectureCounts.ResNet50BatchNormChannels() : ArchitectureCounts.MobileNetV2BatchNormChannels();
        output.WriteLine($"{name}: {trainable:N0} parameters, {all:N0} with BatchNorm running statistics");
        Assert.InRange(trainable, published * (1 - tolerance), published * (1 + tolerance));
        Assert.InRange(all, (published + 2 * batchNormChannels) * (1 - tolerance), (published + 2 * batchNormChannels) * (1 + tolerance));
    }

    [Theory]
    [InlineData("resnet50", 4.0e9, 4.2e9)]
    [InlineData("mobilenetv2", 0.29e9, 0.32e9)]
    public void Build_Cnn_MacsAtBatch1MatchPublishedFigure(string name, double low, double high)
    {
        var macs = ArchitectureCounts.CnnMacs(ModelZoo.Build(name, Weightless), 224, 224);
        output.WriteLine($"{name}: {macs / 1e9:F3} GMACs");
        Assert.InRange(macs, low, high);
    }

    [Fact]
    public void Build_ResNet50_DownsamplesInThe3x3ConvolutionAsV15Does()
    {
        var model = ModelZoo.Build("resnet50", Weightless);
        var strided = model.Graph.Nodes.Where(n => n.OpType == "Conv" && n.Attributes.GetInts("strides")![0] == 2)
            .Select(n => n.Inputs[1]!.Name).ToArray();
        Assert.Equal(
            ["conv1.weight", "layer2.0.conv2.weight", "layer2.0.downsample.0.weight", "layer3.0.conv2.weight",
             "layer3.0.downsample.0.weight", "layer4.0.conv2.weight", "layer4.0.downsample.0.weight"],
            strided.Order(StringComparer.Ordinal));
        Assert.Equal(53, model.Graph.Nodes.Count(n => n.OpType == "BatchNormalization"));
    }

    [Fact]
    public void Build_MobileNetV2_DepthwiseConvolutionsHaveOneGroupPerChannel()
    {
        var model = ModelZoo.Build("mobilenetv2", Weightless);
        var depthwise = model.Graph.Nodes.Where(n => n.OpType == "Conv" && n.Attributes.GetInt("group", 1) > 1).ToArray();
        Assert.Equal(17, depthwise.Length);
        Assert.All(depthwise, n => Assert.Equal(n.Attributes.GetInt("group", 1), n.Inputs[1]!.Initializer!.Dims[0]));
        Assert.Equal(35, model.Graph.Nodes.Count(n => n.OpType == "Clip"));
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("mobilenetv2")]
    public void GetOrCreateFile_SameSeed_ByteIdenticalToFreshBuild(string name)
    {
        var path = ModelZoo.GetOrCreateFile(name, new ZooBuildOptions { Seed = 7 });
        Assert.Equal(ModelZoo.Build(name, new ZooBuildOptions { Seed = 7 }).ToBytes(), File.ReadAllBytes(path));
    }

    [Fact]
    public void Build_DifferentSeed_EveryRandomWeightDiffers()
    {
        var a = ModelZoo.Build("mobilenetv2", new ZooBuildOptions { Seed = 1 });
        var b = ModelZoo.Build("mobilenetv2", new ZooBuildOptions { Seed = 2 });
        Assert.Equal(Signature(a.Graph.Nodes), Signature(b.Graph.Nodes));
        var weights = a.Graph.Initializers.Where(v => v.Initializer!.DataType == (int)TensorDataType.Float && v.Initializer.Dims.Count > 0).ToArray();
        Assert.Equal(52 + 52 * 4 + 2, weights.Length); // convs, four BatchNorm tensors each, classifier
        Assert.All(weights, v => Assert.NotEqual(v.Initializer!.RawData, b.Graph.FindValue(v.Name)!.Initializer!.RawData));
    }

    [Fact]
    public void GetOrCreateFile_SecondCall_ReusesCachedFileUnderSilicaCache()
    {
        var first = ModelZoo.GetOrCreateFile("mlp", new ZooBuildOptions { Seed = 11 });
        var written = File.GetLastWriteTimeUtc(first);
        var second = ModelZoo.GetOrCreateFile("MLP", new ZooBuildOptions { Seed = 11 });

        Assert.Equal(first, second);
        Assert.Equal(written, File.GetLastWriteTimeUtc(second));
        Assert.Equal(Path.Combine(cache.Root, "zoo"), Path.GetDirectoryName(first));
        Assert.NotEqual(first, ModelZoo.GetOrCreateFile("mlp", new ZooBuildOptions { Seed = 12 }));
        var weightless = ModelZoo.GetOrCreateFile("mlp", new ZooBuildOptions { Seed = 11, WithWeights = false });
        Assert.NotEqual(first, weightless);
        Assert.True(OnnxModel.Load(weightless).IsWeightless);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(first)!, "*.tmp"));
    }

    [Fact]
    public void Build_Alias_SameModelAsCanonicalName()
    {
        Assert.Equal(ModelZoo.Build("gpt2-small", Weightless).ToBytes(), ModelZoo.Build("gpt2", Weightless).ToBytes());
    }

    [Theory]
    [InlineData("resnet")]
    [InlineData("zoo:mlp")]
    [InlineData("")]
    public void Build_UnknownName_ThrowsArgumentExceptionListingKnownModels(string name)
    {
        var e = Assert.Throws<ArgumentException>(() => ModelZoo.Build(name));
        Assert.Contains("known models: mlp, mlp-tiny, resnet50, mobilenetv2, bert-base, bert-large, gpt2-small, gpt2-medium, gpt2-large, gpt2-small-prefill", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    private static string Describe(IEnumerable<Value> values) =>
        string.Join(", ", values.Select(v => $"{v.Name} {v.Type}"));

    private static string[] Signature(IEnumerable<Node> nodes) =>
        [.. nodes.Select(n => $"{n.OpType}({string.Join(",", n.Inputs.Select(i => i?.Name))})->{string.Join(",", n.Outputs.Select(o => o?.Name))}")];

    private static string[] Declarations(OnnxModel model) =>
        [.. model.Graph.Initializers.Select(v => $"{v.Name}:{v.Initializer!.DataType}[{string.Join(",", v.Initializer.Dims)}]")];
}
