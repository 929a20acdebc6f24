using Silica.Hardware;
using Silica.Prediction.Llm;

namespace Silica.Prediction.Tests.Llm;

public sealed class DecoderStepModelTests
{
    [Fact]
    public void Llama_ParameterCounts_MatchThePublishedSizes()
    {
        // Meta-Llama-3-8B: 8.03 B parameters; Llama-2-70b: 68.98 B.
        Assert.Equal(8.03e9, LlmTestShapes.Llama3_8B.ParameterCount, 0.01e9);
        Assert.Equal(68.98e9, LlmTestShapes.Llama2_70B.ParameterCount, 0.02e9);
        // 2 (K and V) x 32 layers x 8 kv heads x 128 x 2 bytes = 128 KiB per token in FP16.
        Assert.Equal(131072, LlmTestShapes.Llama3_8B.KvBytesPerToken(2));
    }

    [Fact]
    public void Decode_Llama3_8B_OnH100_Batch1_IsWeightBandwidthBound()
    {
        var model = LlmTestShapes.Model(LlmTestShapes.Llama3_8B, "p5.48xlarge", NumericFormat.Fp16);
        var step = model.Time(StepLoad.Decode(1, 128));
        // Hand computation: the streamed weights are all but the looked-up embedding table,
        // (8.030e9 - 128256 x 4096) x 2 bytes = 15.01 GB, at 3.35 TB/s x 0.9 (GPU prior) = 4.98 ms.
        var weights = (LlmTestShapes.Llama3_8B.ParameterCount - (128256.0 * 4096)) * 2;
        Assert.Equal(15.01e9, weights, 0.01e9);
        var kv = 129 * 131072.0; // the cache read plus the new token's keys and values
        Assert.Equal((weights + kv) / (3350e9 * 0.9), step.Memory, 1e-6);
        Assert.Equal(4.98e-3, step.Memory, 0.02e-3);
        Assert.Equal(0, step.Gemm);
        Assert.Equal(0, step.Communication);
        // Launch overhead of a fused runtime: 30 us + 3 us x (10 x 32 + 4) kernels.
        Assert.Equal((30 + (3 * 324)) * 1e-6, step.Overhead, 1e-9);
        var tpot = DecoderPredictor.Predict(model, batch: 1, promptTokens: 128, outputTokens: 2).TpotSeconds;
        Assert.InRange(tpot, 5.9e-3, 6.1e-3);
    }

    [Fact]
    public void Prefill_Llama3_8B_OnH100_IsComputeBound()
    {
        var model = LlmTestShapes.Model(LlmTestShapes.Llama3_8B, "p5.48xlarge", NumericFormat.Fp16);
        var step = model.Time(StepLoad.Prefill(1, 2048));
        // 2 x 6.98e9 body parameters x 2048 tokens + one logit row (2 x 128256 x 4096) at 989.5 TFLOP/s x 0.8,
        // plus causal attention 4 x 32 x 32 x 128 x 2048 x 2049 / 2 pairs on the same rate.
        var body = LlmTestShapes.Llama3_8B.ParameterCount - (2.0 * 128256 * 4096);
        var dense = (2 * body * 2048) + (2.0 * 128256 * 4096);
        Assert.Equal(dense / (989.5e12 * 0.8), step.Gemm, 1e-4 * step.Gemm);
        Assert.Equal(4.0 * 32 * 32 * 128 * (2048.0 * 2049 / 2) / (989.5e12 * 0.8), step.Attention, 1e-9);
        Assert.Equal(0, step.Memory);
        Assert.InRange(step.Gemm + step.Attention, 36e-3, 40e-3);
    }

    [Fact]
    public void Decode_LargeBatch_BecomesComputeBound()
    {
        var model = LlmTestShapes.Model(LlmTestShapes.Llama3_8B, "p5.48xlarge", NumericFormat.Fp16);
        Assert.Equal(0, model.Time(StepLoad.Decode(8, 512)).Gemm);
        // Ridge point: 989.5 x 0.8 / (3.35 x 0.9) / 2 ≈ 131 tokens per weight byte pair; 1024 sequences are well past it.
        Assert.True(model.Time(StepLoad.Decode(1024, 16)).Gemm > 0);
    }

    [Fact]
    public void TensorParallel_SplitsTheWeights_AndAddsTwoAllReducesPerLayer()
    {
        var tp1 = LlmTestShapes.Model(LlmTestShapes.Llama3_8B, "p5.48xlarge", NumericFormat.Fp16, tp: 1);
        var tp4 = LlmTestShapes.Model(LlmTestShapes.Llama3_8B, "p5.48xlarge", NumericFormat.Fp16, tp: 4);
        var load = StepLoad.Decode(1, 128);
        Assert.Equal(tp1.Time(load).Memory / 4, tp4.Time(load).Memory, 1e-9);
        // Ring all-reduce of 1 token x 4096 x 2 bytes over 4 devices: 2 x 3/4 x 8192 B / (900 GB/s x 0.4) + 10 us, 64 times.
        var perAllReduce = (2 * 0.75 * 8192 / (900e9 * DecoderStepModel.LinkEfficiency)) + DecoderStepModel.AllReduceLatencySeconds;
        Assert.Equal(64 * perAllReduce, tp4.Time(load).Communication, 1e-12);
        Assert.True(DecoderPredictor.Predict(tp4, 1, 128, 64).TpotSeconds < DecoderPredictor.Predict(tp1, 1, 128, 64).TpotSeconds);
    }

    [Fact]
    public void TensorParallel_WiderThanKvHeads_ReplicatesTheCache()
    {
        var tp8 = LlmTestShapes.Model(LlmTestShapes.Llama2_70B, "p5.48xlarge", NumericFormat.Fp16, tp: 8);
        Assert.Equal(LlmTestShapes.Llama2_70B.KvBytesPerToken(2), tp8.KvBytesPerToken);
        var shape16 = LlmTestShapes.Llama2_70B with { KvHeads = 4 };
        var tp8Narrow = LlmTestShapes.Model(shape16, "p5.48xlarge", NumericFormat.Fp16, tp: 8);
        Assert.Equal(2 * shape16.KvBytesPerToken(2), tp8Narrow.KvBytesPerToken);
    }

    [Fact]
    public void Int8Weights_HalveTheStreamedBytes_KeepA16BitCache()
    {
        var fp16 = LlmTestShapes.Model(LlmTestShapes.Llama3_8B, "p5.48xlarge", NumericFormat.Fp16);
        var int8 = LlmTestShapes.Model(LlmTestShapes.Llama3_8B, "p5.48xlarge", NumericFormat.Int8);
        Assert.Equal(fp16.KvBytesPerToken, int8.KvBytesPerToken);
        var f = fp16.Time(StepLoad.Decode(1, 0)).Memory;
        var i = int8.Time(StepLoad.Decode(1, 0)).Memory;
        Assert.InRange(i / f, 0.49, 0.51);
    }

    [Fact]
    public void Calibration_ScalesOnlyItsTerm()
    {
        var model = LlmTestShapes.Model(LlmTestShapes.Llama3_8B, "p5.48xlarge", NumericFormat.Fp16);
        var step = model.Time(StepLoad.Decode(1, 128));
        var slowMemory = new CalibrationFactors([1, 1, 1, 2, 1], 0.1, calibrated: true, "test");
        Assert.Equal((2 * step.Memory) + step.Overhead, step.Seconds(slowMemory), 1e-12);
        Assert.Equal(step.Seconds(slowMemory), step.ToTerms().Total(slowMemory), 1e-12);
    }
}
