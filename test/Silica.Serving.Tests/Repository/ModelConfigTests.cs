using System.Text;
using Silica.Onnx.Model;
using Silica.Serving.Repository;
using Silica.Serving.Tests.Hosting;

namespace Silica.Serving.Tests.Repository;

public sealed class ModelConfigTests
{
    private static ModelConfig Parse(string json) => ModelConfigReader.Parse(Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_EveryField_Read()
    {
        var c = Parse("""
            {"backend": "cpu", "max_batch_size": 16, "preferred_batch_size": [4, 16], "max_queue_delay_microseconds": 500,
             "max_queue_size": 64, "queue_timeout_microseconds": 2000000, "instance_count": 2,
             "input": [{"name": "x", "datatype": "FP32", "dims": [-1, 16]}], "output": [{"name": "y"}]}
            """);

        Assert.Equal("cpu", c.Backend);
        Assert.Equal(16, c.MaxBatchSize);
        Assert.Equal([4, 16], c.PreferredBatchSize);
        Assert.Equal(500, c.MaxQueueDelayMicroseconds);
        Assert.Equal(64, c.MaxQueueSize);
        Assert.Equal(2_000_000, c.QueueTimeoutMicroseconds);
        Assert.Equal(2, c.InstanceCount);
        Assert.Equal([-1L, 16], Assert.Single(c.Input!).Dims);
        Assert.Equal("y", Assert.Single(c.Output!).Name);
    }

    [Theory]
    [InlineData("""{"max_batch": 4}""", "unknown field 'max_batch'")]
    [InlineData("""{"max_batch_size": "4"}""", "wrong type of value at $.max_batch_size")]
    [InlineData("""{"max_batch_size": 4.5}""", "wrong type of value at $.max_batch_size")]
    [InlineData("""{"max_batch_size": 4,}""", "config.json")]
    [InlineData("""{"max_batch_size": 4 /* c */}""", "config.json")]
    [InlineData("""{"input": [{"datatype": "FP32"}]}""", "lacks 'name'")]
    [InlineData("""[1]""", "wrong type of value")]
    [InlineData("""null""", "expected an object")]
    [InlineData("""{"max_batch_size": 4} trailing""", "config.json")]
    [InlineData("", "config.json")]
    public void Parse_Malformed_ThrowsNamingTheProblem(string json, string expected)
    {
        var e = Assert.Throws<ModelConfigException>(() => Parse(json));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Silica.", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_NoConfig_FromModel()
    {
        var c = ConfigCompletion.Complete(null, ServingFixtures.Mlp());

        Assert.Equal("cpu", c.Backend);
        Assert.Equal(8, c.Batching.MaxBatchSize);
        Assert.Equal(TimeSpan.Zero, c.Batching.MaxQueueDelay);
        var x = Assert.Single(c.Inputs);
        Assert.Equal(("x", TensorDataType.Float), (x.Name, x.ElementType));
        Assert.Equal([-1L, 16], x.Dims);
        Assert.Equal([-1L, 8], Assert.Single(c.Outputs).Dims);
    }

    [Fact]
    public void Complete_OverrideFixesDynamicDimension()
    {
        var c = ConfigCompletion.Complete(Parse("""{"input": [{"name": "x", "dims": [4, -1]}]}"""), ServingFixtures.Mlp());

        Assert.Equal([4L, 16], Assert.Single(c.Inputs).Dims);
    }

    [Theory]
    [InlineData("""{"input": [{"name": "z"}]}""", "input 'z' is not a model input (the model has: x)")]
    [InlineData("""{"input": [{"name": "x", "datatype": "INT64"}]}""", "input 'x' is INT64 but the model's is FP32")]
    [InlineData("""{"input": [{"name": "x", "datatype": "FLOAT"}]}""", "unknown datatype 'FLOAT'")]
    [InlineData("""{"input": [{"name": "x", "dims": [-1]}]}""", "rank 1")]
    [InlineData("""{"input": [{"name": "x", "dims": [-1, 15]}]}""", "dimension 1 is 15 but the model fixes it at 16")]
    [InlineData("""{"input": [{"name": "x", "dims": [-2, 16]}]}""", "dimension 0 is -2")]
    [InlineData("""{"input": [{"name": "x"}, {"name": "x"}]}""", "listed twice")]
    [InlineData("""{"output": [{"name": "x"}]}""", "output 'x' is not a model output")]
    [InlineData("""{"max_batch_size": 0}""", "max_batch_size must be at least 1")]
    [InlineData("""{"max_batch_size": 4, "preferred_batch_size": [8]}""", "preferred_batch_size 8 must be between 1 and max_batch_size (4)")]
    [InlineData("""{"instance_count": 0}""", "instance_count must be at least 1")]
    [InlineData("""{"instance_count": 1000}""", "instance_count 1000 is over the limit")]
    [InlineData("""{"max_queue_size": 0}""", "max_queue_size must be at least 1")]
    [InlineData("""{"max_queue_delay_microseconds": -1}""", "max_queue_delay_microseconds is -1")]
    [InlineData("""{"queue_timeout_microseconds": 0}""", "queue_timeout_microseconds is 0")]
    [InlineData("""{"backend": ""}""", "backend must not be empty")]
    public void Complete_Contradiction_ThrowsNamingTheField(string json, string expected)
    {
        var e = Assert.Throws<ModelConfigException>(() => ConfigCompletion.Complete(Parse(json), ServingFixtures.Mlp()));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
