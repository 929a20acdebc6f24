using Silica.Onnx.Model;
using Silica.Onnx.Zoo;
using Silica.Optimization.Data;
using Silica.Runtime.Backends;

namespace Silica.Optimization.Tests.Data;

public sealed class SampleFolderTests
{
    private static readonly Dictionary<string, long> NoBindings = [];

    /// <summary>zoo:mlp's only input, float[batch,784].</summary>
    private static IReadOnlyList<TensorInfo> Mlp { get; } = ModelInputs.Of(ModelZoo.Build("mlp", new ZooBuildOptions { WithWeights = false }));

    /// <summary>A BERT-like pair of int64 inputs.</summary>
    private static readonly TensorInfo[] TwoInputs =
    [
        new("input_ids", TensorDataType.Int64, new TensorShape("batch", "seq")),
        new("attention_mask", TensorDataType.Int64, new TensorShape("batch", "seq")),
    ];

    [Fact]
    public void Load_FlatNpy_OneSamplePerFileInNaturalOrderWithBatchAdded()
    {
        using var dir = new TempFolder();
        foreach (var i in new[] { 10, 2, 1 })
        {
            dir.WriteNpy($"sample_{i}.npy", Enumerable.Repeat((float)i, 784).ToArray(), 784);
        }

        var set = SampleFolder.Load(dir.Path, Mlp, NoBindings);

        Assert.False(set.IsSynthetic);
        Assert.Equal(["sample_1.npy", "sample_2.npy", "sample_10.npy"], set.Samples.Select(s => s.Id));
        var t = set.Samples[2].Inputs["input"];
        Assert.Equal([1L, 784], t.Shape.ToArray());
        Assert.Equal(10f, t.AsFloats()[783]);
    }

    [Fact]
    public void Load_FlatNpyWithBatchOfFour_KeepsTheBatch()
    {
        using var dir = new TempFolder();
        dir.WriteNpy("a.npy", new float[4 * 784], 4, 784);
        var set = SampleFolder.Load(dir.Path, Mlp, NoBindings);
        Assert.Equal([4L, 784], set.Samples[0].Inputs["input"].Shape.ToArray());
    }

    [Fact]
    public void Load_FlatTensorProtoFiles_ReadsRawAndTypedData()
    {
        using var dir = new TempFolder();
        var values = Enumerable.Range(0, 784).Select(i => i / 784f).ToArray();
        dir.WritePb("0.pb", TensorData.FromFloats("input", [1, 784], values));
        var typed = new Silica.Onnx.Protobuf.TensorProto { Name = "input", DataType = (int)TensorDataType.Float };
        typed.Dims.Add(1);
        typed.Dims.Add(784);
        typed.FloatData.Add(values.Reverse());
        dir.WritePb("1.pb", typed);

        var set = SampleFolder.Load(dir.Path, Mlp, NoBindings);

        Assert.Equal(2, set.Samples.Count);
        Assert.Equal(values[5], set.Samples[0].Inputs["input"].AsFloats()[5]);
        Assert.Equal(values[^1], set.Samples[1].Inputs["input"].AsFloats()[0]);
    }

    [Fact]
    public void Load_OnnxBackendLayout_ReadsInputsByPositionAndIgnoresOutputs()
    {
        using var dir = new TempFolder();
        for (var n = 0; n < 3; n++)
        {
            var set = dir.Sub($"test_data_set_{n}");
            dir.WritePb($"test_data_set_{n}/input_0.pb", TensorData.FromInt64s("", [1, 8], Enumerable.Repeat((long)n + 1, 8).ToArray()));
            dir.WritePb($"test_data_set_{n}/input_1.pb", TensorData.FromInt64s("", [1, 8], Enumerable.Repeat(1L, 8).ToArray()));
            dir.WritePb($"test_data_set_{n}/output_0.pb", TensorData.FromFloats("", [1], [0f]));
        }

        var samples = SampleFolder.Load(dir.Path, TwoInputs, new Dictionary<string, long> { ["seq"] = 8 });

        Assert.Equal(3, samples.Samples.Count);
        Assert.Equal(3L, samples.Samples[2].Inputs["input_ids"].AsInt64s()[0]);
        Assert.Equal(1L, samples.Samples[2].Inputs["attention_mask"].AsInt64s()[7]);
    }

    [Fact]
    public void Load_SubfoldersWithNamedNpy_MatchFilesToInputsByName()
    {
        using var dir = new TempFolder();
        dir.Sub("s0");
        dir.WriteNpy("s0/attention_mask.npy", new long[16], 1, 16);
        dir.WriteNpy("s0/input_ids.npy", Enumerable.Range(0, 16).Select(i => (long)i).ToArray(), 1, 16);

        var set = SampleFolder.Load(dir.Path, TwoInputs, NoBindings);

        Assert.Equal(15L, set.Samples[0].Inputs["input_ids"].AsInt64s()[15]);
        Assert.Equal("s0", set.Samples[0].Id);
    }

    [Fact]
    public void Load_Limit_ReadsTheFirstByName()
    {
        using var dir = new TempFolder();
        for (var i = 0; i < 5; i++)
        {
            dir.WriteNpy($"{i}.npy", new float[784], 784);
        }
        Assert.Equal(2, SampleFolder.Load(dir.Path, Mlp, NoBindings, limit: 2).Samples.Count);
    }

    [Fact]
    public void Load_HiddenFilesIgnored()
    {
        using var dir = new TempFolder();
        dir.WriteNpy("a.npy", new float[784], 784);
        File.WriteAllText(dir.File(".DS_Store"), "x");
        Assert.Single(SampleFolder.Load(dir.Path, Mlp, NoBindings).Samples);
    }

    [Fact]
    public void Load_EmptyFolder_SaysEmpty()
    {
        using var dir = new TempFolder();
        var e = Assert.Throws<SampleDataException>(() => SampleFolder.Load(dir.Path, Mlp, NoBindings));
        Assert.Contains("is empty", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFolder_SaysItDoesNotExist()
    {
        var e = Assert.Throws<SampleDataException>(() => SampleFolder.Load("/no/such/folder", Mlp, NoBindings));
        Assert.Contains("does not exist", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongShape_NamesFileInputExpectedAndFound()
    {
        using var dir = new TempFolder();
        var file = dir.WriteNpy("bad.npy", new float[100], 1, 100);

        var e = Assert.Throws<SampleDataException>(() => SampleFolder.Load(dir.Path, Mlp, NoBindings));

        Assert.Equal($"'{file}': input 'input' expects shape [batch,784], found [1,100]", e.Message);
    }

    [Fact]
    public void Load_BoundDimensionDiffers_ShowsTheBoundSize()
    {
        using var dir = new TempFolder();
        dir.Sub("s");
        dir.WriteNpy("s/input_ids.npy", new long[32], 1, 32);
        dir.WriteNpy("s/attention_mask.npy", new long[32], 1, 32);
        var e = Assert.Throws<SampleDataException>(() => SampleFolder.Load(dir.Path, TwoInputs, new Dictionary<string, long> { ["seq"] = 128 }));
        Assert.Contains("expects shape [batch,128], found [1,32]", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WrongDtype_NamesFileInputExpectedAndFound()
    {
        using var dir = new TempFolder();
        var file = dir.WriteNpy("x.npy", new double[784], 1, 784);

        var e = Assert.Throws<SampleDataException>(() => SampleFolder.Load(dir.Path, Mlp, NoBindings));

        Assert.StartsWith($"'{file}': input 'input' expects float values, found double", e.Message, StringComparison.Ordinal);
        Assert.Contains("astype(np.float32)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MixedKinds_Rejected()
    {
        using var dir = new TempFolder();
        dir.WriteNpy("a.npy", new float[784], 784);
        dir.WritePb("b.pb", TensorData.FromFloats("input", [1, 784], new float[784]));
        var e = Assert.Throws<SampleDataException>(() => SampleFolder.Load(dir.Path, Mlp, NoBindings));
        Assert.Contains("mixes .npy files (a.npy) with .pb files (b.pb)", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_UnknownFile_NamesIt()
    {
        using var dir = new TempFolder();
        dir.WriteNpy("a.npy", new float[784], 784);
        File.WriteAllText(dir.File("notes.txt"), "hello");
        var e = Assert.Throws<SampleDataException>(() => SampleFolder.Load(dir.Path, Mlp, NoBindings));
        Assert.Contains("notes.txt' is not a sample file", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FilesAndSubfoldersMixed_Rejected()
    {
        using var dir = new TempFolder();
        dir.WriteNpy("a.npy", new float[784], 784);
        dir.Sub("b");
        var e = Assert.Throws<SampleDataException>(() => SampleFolder.Load(dir.Path, Mlp, NoBindings));
        Assert.Contains("mixes files", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_FlatFolderForTwoInputModel_ExplainsTheSubfolderLayout()
    {
        using var dir = new TempFolder();
        dir.WriteNpy("a.npy", new long[8], 1, 8);
        var e = Assert.Throws<SampleDataException>(() => SampleFolder.Load(dir.Path, TwoInputs, NoBindings));
        Assert.Contains("own subfolder", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SubfolderMissingAnInput_NamesIt()
    {
        using var dir = new TempFolder();
        dir.Sub("s0");
        dir.WriteNpy("s0/input_ids.npy", new long[8], 1, 8);
        var e = Assert.Throws<SampleDataException>(() => SampleFolder.Load(dir.Path, TwoInputs, NoBindings));
        Assert.Contains("no file for input 'attention_mask'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SubfolderFileNamingNoInput_NamesTheInputs()
    {
        using var dir = new TempFolder();
        dir.Sub("s0");
        dir.WriteNpy("s0/tokens.npy", new long[8], 1, 8);
        var e = Assert.Throws<SampleDataException>(() => SampleFolder.Load(dir.Path, TwoInputs, NoBindings));
        Assert.Contains("names no model input", e.Message, StringComparison.Ordinal);
        Assert.Contains("input_ids, attention_mask", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SubfolderTwoFilesForOneInput_Rejected()
    {
        using var dir = new TempFolder();
        dir.Sub("s0");
        dir.WriteNpy("s0/input_ids.npy", new long[8], 1, 8);
        dir.WritePb("s0/input_0.pb", TensorData.FromInt64s("", [1, 8], new long[8]));
        var e = Assert.Throws<SampleDataException>(() => SampleFolder.Load(dir.Path, TwoInputs, NoBindings));
        Assert.Contains("two files for input 'input_ids'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_CorruptTensorProto_NamesTheFile()
    {
        using var dir = new TempFolder();
        var file = dir.File("x.pb");
        File.WriteAllBytes(file, [0xff, 0xff, 0xff, 0xff, 0x0f]);
        var e = Assert.Throws<SampleDataException>(() => SampleFolder.Load(dir.Path, Mlp, NoBindings));
        Assert.Contains(file, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_TensorProtoWithTooFewValues_SaysHowMany()
    {
        using var dir = new TempFolder();
        var t = new Silica.Onnx.Protobuf.TensorProto { DataType = (int)TensorDataType.Float };
        t.Dims.Add(1);
        t.Dims.Add(784);
        t.FloatData.Add(1f);
        dir.WritePb("x.pb", t);
        var e = Assert.Throws<SampleDataException>(() => SampleFolder.Load(dir.Path, Mlp, NoBindings));
        Assert.Contains("does not hold the 784 values float[1,784] needs", e.Message, StringComparison.Ordinal);
    }
}
