using Silica.Onnx.Model;
using Silica.Optimization.Data;
using Silica.Runtime.Backends;

namespace Silica.Optimization.Tests.Data;

public sealed class SyntheticSamplesTests
{
    private static readonly TensorInfo[] Bert =
    [
        new("input_ids", TensorDataType.Int64, new TensorShape("batch", "seq")),
        new("attention_mask", TensorDataType.Int64, new TensorShape("batch", "seq")),
        new("token_type_ids", TensorDataType.Int64, new TensorShape("batch", "seq")),
    ];

    [Fact]
    public void Create_SameSeed_SameValues_DifferentSeed_Different()
    {
        var inputs = new[] { new TensorInfo("x", TensorDataType.Float, new TensorShape("batch", 32)) };
        var a = SyntheticSamples.Create(inputs, new Dictionary<string, long>(), 2, seed: 7);
        var b = SyntheticSamples.Create(inputs, new Dictionary<string, long>(), 2, seed: 7);
        var c = SyntheticSamples.Create(inputs, new Dictionary<string, long>(), 2, seed: 8);

        Assert.True(a.IsSynthetic);
        Assert.Contains("synthetic", a.Source, StringComparison.Ordinal);
        Assert.Equal(a.Samples[1].Inputs["x"].AsFloats().ToArray(), b.Samples[1].Inputs["x"].AsFloats().ToArray());
        Assert.NotEqual(a.Samples[1].Inputs["x"].AsFloats().ToArray(), c.Samples[1].Inputs["x"].AsFloats().ToArray());
        Assert.NotEqual(a.Samples[0].Inputs["x"].AsFloats().ToArray(), a.Samples[1].Inputs["x"].AsFloats().ToArray());
    }

    [Fact]
    public void Create_Floats_AreRoughlyStandardNormal()
    {
        var inputs = new[] { new TensorInfo("x", TensorDataType.Float, TensorShape.Of(1, 10000)) };
        var v = SyntheticSamples.Create(inputs, new Dictionary<string, long>(), 1).Samples[0].Inputs["x"].AsFloats().ToArray();
        var mean = v.Average();
        var std = Math.Sqrt(v.Select(x => (x - mean) * (x - mean)).Average());
        Assert.InRange(mean, -0.05, 0.05);
        Assert.InRange(std, 0.95, 1.05);
    }

    [Fact]
    public void Create_BertInputs_IdsMaskTypesByNameAtBoundSeq()
    {
        var set = SyntheticSamples.Create(Bert, new Dictionary<string, long> { ["seq"] = 16 }, 1);
        var s = set.Samples[0];
        Assert.Equal([1L, 16], s.Inputs["input_ids"].Shape.ToArray());
        Assert.All(s.Inputs["input_ids"].AsInt64s().ToArray(), id => Assert.InRange(id, 1, 999));
        Assert.All(s.Inputs["attention_mask"].AsInt64s().ToArray(), m => Assert.Equal(1, m));
        Assert.All(s.Inputs["token_type_ids"].AsInt64s().ToArray(), t => Assert.Equal(0, t));
    }

    [Fact]
    public void Create_UnboundDimension_AsksToBindIt()
    {
        var e = Assert.Throws<SampleDataException>(() => SyntheticSamples.Create(Bert, new Dictionary<string, long>(), 1));
        Assert.Contains("--bind seq=", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("synthetic", SyntheticSamples.DefaultCount)]
    [InlineData("synthetic:3", 3)]
    public void SampleSource_Synthetic_ParsesTheCount(string spec, int count)
    {
        var inputs = new[] { new TensorInfo("x", TensorDataType.Float, new TensorShape("batch", 4)) };
        Assert.Equal(count, SampleSource.Load(spec, inputs, new Dictionary<string, long>()).Samples.Count);
    }

    [Theory]
    [InlineData("synthetic:0")]
    [InlineData("synthetic:-1")]
    [InlineData("synthetic:lots")]
    [InlineData("synthetic:")]
    public void SampleSource_BadSyntheticCount_OneLineError(string spec)
    {
        var inputs = new[] { new TensorInfo("x", TensorDataType.Float, new TensorShape("batch", 4)) };
        var e = Assert.Throws<SampleDataException>(() => SampleSource.Load(spec, inputs, new Dictionary<string, long>()));
        Assert.Contains("synthetic sample count", e.Message, StringComparison.Ordinal);
    }
}
