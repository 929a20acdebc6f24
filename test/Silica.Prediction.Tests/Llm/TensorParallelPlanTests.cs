using Silica.Hardware;
using Silica.Prediction.Llm;

namespace Silica.Prediction.Tests.Llm;

public sealed class TensorParallelPlanTests
{
    [Fact]
    public void Llama2_70B_Fp16_DoesNotFitOneH100_FitsWithTp2OnAnEightGpuInstance()
    {
        var (instance, device) = LlmTestShapes.Target("p5.48xlarge");
        var plans = TensorParallelPlan.Candidates(LlmTestShapes.Llama2_70B, instance, device, NumericFormat.Fp16, cachedTokens: 4 * (512 + 128));
        Assert.Equal([1, 2, 4, 8], plans.Select(p => p.Degree));
        // 68.98e9 x 2 bytes = 128.5 GiB of weights against 80 GiB x 0.9 = 72 GiB on one GPU.
        Assert.False(plans[0].Memory.Fits);
        Assert.Equal(128.5, plans[0].Memory.WeightBytes / (1 << 30), 0.1);
        Assert.True(plans[1].Memory.Fits);
        Assert.Equal(2, TensorParallelPlan.SmallestFitting(plans)!.Degree);
        Assert.Equal(4, plans[1].Model.Replica.ReplicasPerInstance);
    }

    [Fact]
    public void Llama2_70B_Fp16_OnSingleGpuInstance_NothingFits()
    {
        var (instance, device) = LlmTestShapes.Target("g6e.xlarge");
        var plans = TensorParallelPlan.Candidates(LlmTestShapes.Llama2_70B, instance, device, NumericFormat.Fp16, 640);
        Assert.Single(plans);
        Assert.Null(TensorParallelPlan.SmallestFitting(plans));
        Assert.Contains("does not fit", plans[0].Memory.Fits ? "" : "does not fit: " + plans[0].Memory.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void LargeBatchKvCache_CanOutgrowMemory_ThatHoldsTheWeights()
    {
        var (instance, device) = LlmTestShapes.Target("p5.48xlarge");
        // 8B FP16 weights (15 GiB) fit one H100; 1024 sequences x 4096 tokens x 128 KiB = 512 GiB of cache do not.
        var small = TensorParallelPlan.Candidates(LlmTestShapes.Llama3_8B, instance, device, NumericFormat.Fp16, 1 * 4096);
        var large = TensorParallelPlan.Candidates(LlmTestShapes.Llama3_8B, instance, device, NumericFormat.Fp16, 1024L * 4096);
        Assert.True(small[0].Memory.Fits);
        Assert.False(large[0].Memory.Fits);
        Assert.False(large[2].Memory.Fits); // TP 4: 288 GiB usable, still short
        Assert.True(large[3].Memory.Fits);  // TP 8: 576 GiB usable
    }

    [Fact]
    public void Degrees_DivideBothDevicesAndHeads_AndNeedALinkFigure()
    {
        // inf2.48xlarge: 12 chips over NeuronLink-v2; Llama-3-8B's 32 heads split over 1, 2 or 4 of them (not 3, 6, 12).
        var (instance, device) = LlmTestShapes.Target("inf2.48xlarge");
        var plans = TensorParallelPlan.Candidates(LlmTestShapes.Llama3_8B, instance, device, NumericFormat.Bf16, 640);
        Assert.Equal([1, 2, 4], plans.Select(p => p.Degree));
        // Without a link bandwidth, tensor parallelism cannot be costed: only degree 1 is offered.
        var unlinked = TensorParallelPlan.Candidates(LlmTestShapes.Llama3_8B, instance, device with { Interconnect = null }, NumericFormat.Bf16, 640);
        Assert.Equal([1], unlinked.Select(p => p.Degree));
    }

    [Fact]
    public void CpuInstance_IsOneReplicaOfAllCores()
    {
        var (instance, device) = LlmTestShapes.Target("c7i.8xlarge");
        var plan = Assert.Single(TensorParallelPlan.Candidates(LlmTestShapes.Llama3_8B, instance, device, NumericFormat.Bf16, 640));
        Assert.Equal(1, plan.Degree);
        Assert.Equal(102.4e9, plan.Model.Replica.BandwidthBytesPerSecond, 1);
    }
}
