using Silica.Onnx.Model;
using Silica.Onnx.Zoo;
using Silica.Optimization.Data;
using Silica.Optimization.Optimizer;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Tests.Optimizer;

public sealed class SpeedMeterTests
{
    [Fact]
    public void Compare_ModelWithItself_SimilarMediansOnThisCpu()
    {
        var model = ModelZoo.Build("mlp");
        var sample = SyntheticSamples.Create(ModelInputs.Of(model), new Dictionary<string, long>(), 1).Samples[0];

        var speed = SpeedMeter.Compare(model, model, sample, TimeSpan.FromMilliseconds(300));

        Assert.True(speed.Runs >= 5);
        Assert.Equal(1, speed.Batch);
        Assert.InRange(speed.OriginalMedianMs, 1e-4, 1000);
        Assert.InRange(speed.OptimizedMedianMs, 1e-4, 1000);
        // The same model timed interleaved: medians agree within noise on a shared 2-core machine.
        Assert.InRange(speed.Speedup, 0.4, 2.5);
        Assert.False(string.IsNullOrWhiteSpace(speed.Device));
    }

    [Fact]
    public void Compare_Batch256_MeasuresMoreTimeThanBatch1()
    {
        var model = ModelZoo.Build("mlp");
        var one = SyntheticSamples.Create(ModelInputs.Of(model), new Dictionary<string, long>(), 1).Samples[0];
        var many = new Sample(new Dictionary<string, Tensor> { ["input"] = Tensor.Allocate(TensorDataType.Float, [256, 784]) }, null, "batch-256");

        var single = SpeedMeter.Compare(model, model, one, TimeSpan.FromMilliseconds(200));
        var batched = SpeedMeter.Compare(model, model, many, TimeSpan.FromMilliseconds(200));

        Assert.Equal(256, batched.Batch);
        Assert.True(batched.OriginalMedianMs > 2 * single.OriginalMedianMs, $"batch 256: {batched.OriginalMedianMs} ms, batch 1: {single.OriginalMedianMs} ms");
    }
}
