using Silica.Advisor.Llm;
using Silica.Hardware;
using Silica.Prediction.Llm;

namespace Silica.Advisor.Tests.Llm;

public sealed class LlmComparisonTests
{
    private static readonly DecoderShape Llama3_8B = DecoderShape.Llama("llama-3-8b", 32, 4096, 32, 8, 14336, 128256, 8192);
    private static readonly DecoderShape Llama2_70B = DecoderShape.Llama("llama-2-70b", 80, 8192, 64, 8, 28672, 32000, 4096);
    private static readonly Lazy<Catalog> Catalog = new(CatalogLoader.LoadDefault);
    private static readonly LlmSlo Slo = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(50));

    [Fact]
    public void Compare_Llama3_8B_AllTargets_RankedByDollarsPerMillionTokens()
    {
        var rows = LlmComparison.Run(new LlmCompareRequest { Shape = Llama3_8B, Catalog = Catalog.Value, Slo = Slo, Qps = 10 });
        var ranked = rows.TakeWhile(r => r.Ranked).ToList();
        Assert.True(ranked.Count >= 3, string.Join("; ", rows.Select(r => $"{r.InstanceId}: {r.Reason}")));
        // Cheapest first, and every ranked row's price is its price per hour over its tokens per hour.
        Assert.Equal(ranked.OrderBy(r => r.DollarsPerMillionTokens).Select(r => r.InstanceId), ranked.Select(r => r.InstanceId));
        foreach (var r in ranked)
        {
            Assert.Equal(r.PricePerHour!.Value / (3600 * r.TokensPerSecond) * 1e6, r.DollarsPerMillionTokens!.Value, 1e-9);
            Assert.InRange(r.TokensPerSecond, r.TokensPerSecondLow, r.TokensPerSecondHigh);
            Assert.True(r.DollarsPerMillionTokensLow <= r.DollarsPerMillionTokens);
            // At the slow end of the band the SLOs may be missed outright: then the cost has no upper bound.
            Assert.True(r.TokensPerSecondLow == 0 ? r.DollarsPerMillionTokensHigh is null : r.DollarsPerMillionTokensHigh >= r.DollarsPerMillionTokens);
            Assert.InRange(r.AtCapacity!.TtftP99Seconds, 0, 0.5);
            Assert.InRange(r.AtCapacity.TpotP99Seconds, 0, 0.05);
            Assert.True(r.InstancesNeeded >= 1);
        }
        // 16 GB of BF16 weights on 16 CPU cores: a 512-token prefill takes over 500 ms and a decode step over 50 ms
        // (16 GB at 102 GB/s), so it fits but is listed as missing the SLOs.
        var cpu = rows.Single(r => r.InstanceId == "c7i.8xlarge");
        Assert.True(cpu.Fits);
        Assert.False(cpu.MeetsSlo);
        Assert.Contains("SLO unloaded", cpu.Reason, StringComparison.Ordinal);
        // A T4 (16 GiB) cannot hold 15 GiB of weights plus a reserve.
        var t4 = rows.Single(r => r.InstanceId == "g4dn.xlarge");
        Assert.False(t4.Fits);
        Assert.StartsWith("does not fit", t4.Reason, StringComparison.Ordinal);
        Console.WriteLine(string.Join("\n", rows.Select(r => $"{r.InstanceId} {r.Precision} tp{r.TensorParallel}x{r.Replicas} {r.TokensPerSecond:0} [{r.TokensPerSecondLow:0}-{r.TokensPerSecondHigh:0}] tok/s ${r.DollarsPerMillionTokens:0.###} ttft99 {r.AtCapacity?.TtftP99Seconds * 1e3:0} tpot99 {r.AtCapacity?.TpotP99Seconds * 1e3:0.#} run {r.AtCapacity?.MeanRunning:0} {r.Reason}")));
    }

    [Fact]
    public void Compare_Llama2_70B_OnP5_UsesTensorParallelism()
    {
        var rows = LlmComparison.Run(new LlmCompareRequest
        {
            Shape = Llama2_70B,
            Catalog = Catalog.Value,
            Slo = Slo,
            Targets = ["p5.48xlarge", "g6e.xlarge"],
            Precisions = [NumericFormat.Fp16],
        });
        var p5 = rows.Single(r => r.InstanceId == "p5.48xlarge");
        Assert.True(p5.Ranked, p5.Reason);
        Assert.True(p5.TensorParallel >= 2);
        Assert.Equal(8 / p5.TensorParallel, p5.Replicas);
        var g6e = rows.Single(r => r.InstanceId == "g6e.xlarge");
        Assert.False(g6e.Fits);
        Assert.Equal("p5.48xlarge", rows[0].InstanceId);
    }

    [Fact]
    public void Compare_LooserTpotSlo_NeverCostsMore()
    {
        var request = new LlmCompareRequest { Shape = Llama3_8B, Catalog = Catalog.Value, Slo = Slo, Targets = ["g6e.xlarge"] };
        var tight = LlmComparison.Run(request with { Slo = new LlmSlo(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(25)) }).Single();
        var loose = LlmComparison.Run(request).Single();
        Assert.True(tight.Ranked && loose.Ranked, tight.Reason ?? loose.Reason);
        Assert.True(loose.DollarsPerMillionTokens <= tight.DollarsPerMillionTokens);
    }

    [Fact]
    public void Compare_UnknownTarget_OneLineError()
    {
        var e = Assert.Throws<ArgumentException>(() => LlmComparison.Run(new LlmCompareRequest
        {
            Shape = Llama3_8B,
            Catalog = Catalog.Value,
            Slo = Slo,
            Targets = ["nosuch"],
        }));
        Assert.Contains("unknown target 'nosuch'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_Llama2_70B_OnP5_PicksTp2_AndOnOneGpuSaysDoesNotFit()
    {
        var p5 = LlmPredictor.Predict(Catalog.Value, Llama2_70B, "p5.48xlarge", NumericFormat.Fp16, batch: 8, promptTokens: 512, outputTokens: 128);
        Assert.True(p5.Fits);
        Assert.Equal(2, p5.Plan.Degree);
        Assert.InRange(p5.Latency!.TpotSeconds, p5.Latency.TpotLowSeconds, p5.Latency.TpotHighSeconds);
        var one = LlmPredictor.Predict(Catalog.Value, Llama2_70B, "g6e.xlarge", NumericFormat.Fp16, 1, 512, 128);
        Assert.False(one.Fits);
        Assert.Null(one.Latency);
        var forced = LlmPredictor.Predict(Catalog.Value, Llama2_70B, "p5.48xlarge", NumericFormat.Fp16, 8, 512, 128, tensorParallel: 8);
        Assert.True(forced.Latency!.TpotSeconds < p5.Latency.TpotSeconds);
        Assert.Throws<ArgumentException>(() => LlmPredictor.Predict(Catalog.Value, Llama2_70B, "p5.48xlarge", NumericFormat.Fp16, 8, 512, 128, tensorParallel: 3));
        Assert.Throws<ArgumentException>(() => LlmPredictor.Predict(Catalog.Value, Llama2_70B, "g4dn.xlarge", NumericFormat.Bf16, 1, 512, 128));
        Assert.Throws<ArgumentException>(() => LlmPredictor.Predict(Catalog.Value, Llama2_70B, "p5.48xlarge", NumericFormat.Fp16, 1, 4000, 200));
    }
}
