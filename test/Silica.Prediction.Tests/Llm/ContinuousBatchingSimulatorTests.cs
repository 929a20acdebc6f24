using Silica.Hardware;
using Silica.Prediction.Llm;

namespace Silica.Prediction.Tests.Llm;

public sealed class ContinuousBatchingSimulatorTests
{
    private static readonly TokenLengths Prompts = TokenLengths.Fixed(512);
    private static readonly TokenLengths Outputs = TokenLengths.Fixed(128);
    private static readonly ContinuousBatchingOptions Quick = new() { Requests = 300, WarmupRequests = 30 };

    private static (DecoderStepModel Model, CalibrationFactors Factors) H100()
    {
        var model = LlmTestShapes.Model(LlmTestShapes.Llama3_8B, "p5.48xlarge", NumericFormat.Fp16);
        return (model, DecoderPredictor.PriorFactors(model.Replica));
    }

    [Fact]
    public void Trickle_MatchesALoneRequest()
    {
        var (model, factors) = H100();
        var r = ContinuousBatchingSimulator.Simulate(model, factors, Prompts, Outputs, 0.01, Quick);
        var alone = DecoderPredictor.Predict(model, 1, 512, 128, factors);
        Assert.Equal(alone.TtftSeconds, r.TtftP50Seconds, 1e-9);
        Assert.Equal(alone.TpotSeconds, r.TpotP50Seconds, 0.01 * alone.TpotSeconds);
        Assert.InRange(r.MeanRunning, 1, 1.1);
    }

    [Fact]
    public void HigherQps_HigherTtftAndTpot_MoreTokensPerSecond()
    {
        var (model, factors) = H100();
        var low = ContinuousBatchingSimulator.Simulate(model, factors, Prompts, Outputs, 2, Quick);
        var mid = ContinuousBatchingSimulator.Simulate(model, factors, Prompts, Outputs, 20, Quick);
        var high = ContinuousBatchingSimulator.Simulate(model, factors, Prompts, Outputs, 200, Quick);
        Assert.True(low.TtftP99Seconds < mid.TtftP99Seconds && mid.TtftP99Seconds < high.TtftP99Seconds,
            $"{low.TtftP99Seconds} {mid.TtftP99Seconds} {high.TtftP99Seconds}");
        Assert.True(low.TpotP50Seconds < mid.TpotP50Seconds);
        Assert.True(low.MeanRunning < mid.MeanRunning);
        Assert.True(mid.OutputTokensPerSecond > low.OutputTokensPerSecond);
    }

    [Fact]
    public void MaxSustainable_MeetsTheSlo_AndATighterTpotSloSustainsLess()
    {
        var (model, factors) = H100();
        var loose = ContinuousBatchingSimulator.MaxSustainable(model, factors, Prompts, Outputs,
            new LlmSlo(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(50)), Quick);
        var tight = ContinuousBatchingSimulator.MaxSustainable(model, factors, Prompts, Outputs,
            new LlmSlo(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(12)), Quick);
        Assert.True(loose.MeetsSlo, loose.Reason);
        Assert.True(tight.MeetsSlo, tight.Reason);
        Assert.InRange(loose.Result!.TtftP99Seconds, 0, 0.5);
        Assert.InRange(loose.Result.TpotP99Seconds, 0, 0.05);
        Assert.True(tight.OutputTokensPerSecond < loose.OutputTokensPerSecond);
        // Decode of a full batch of 8B on one H100 runs thousands of tokens/s, not tens nor millions.
        Assert.InRange(loose.OutputTokensPerSecond, 1000, 50000);
    }

    [Fact]
    public void MaxSustainable_TpotSloBelowOneDecodeStep_SaysSo()
    {
        var (model, factors) = H100();
        var none = ContinuousBatchingSimulator.MaxSustainable(model, factors, Prompts, Outputs,
            new LlmSlo(TimeSpan.FromMilliseconds(500), TimeSpan.FromMilliseconds(2)), Quick);
        Assert.False(none.MeetsSlo);
        Assert.Contains("TPOT", none.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void RequestLargerThanTheCache_IsRejected_NotHung()
    {
        var (instance, device) = LlmTestShapes.Target("g6.xlarge"); // L4, 24 GiB: 15 GiB of weights leave ~6 GiB of cache
        var model = new DecoderStepModel(LlmTestShapes.Llama3_8B, DecoderReplica.Create(instance, device, NumericFormat.Fp16, 1));
        var capacity = DecoderMemory.For(model, 0).KvCapacityTokens!.Value;
        Assert.InRange(capacity, 10_000, 100_000);
        var huge = TokenLengths.Fixed((int)capacity + 1);
        var r = ContinuousBatchingSimulator.Simulate(model, DecoderPredictor.PriorFactors(model.Replica), huge, Outputs, 1,
            new ContinuousBatchingOptions { Requests = 5, WarmupRequests = 0 });
        Assert.Equal(5, r.Rejected);
        var capacityResult = ContinuousBatchingSimulator.MaxSustainable(model, DecoderPredictor.PriorFactors(model.Replica), huge, Outputs,
            new LlmSlo(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1)), Quick);
        Assert.Contains("KV cache holds", capacityResult.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("512", 512, 512)]
    [InlineData("128-1024", 128, 1024)]
    public void TokenLengths_Parse(string text, int min, int max) =>
        Assert.Equal(new TokenLengths(min, max), TokenLengths.Parse(text, "--prompt-len"));

    [Theory]
    [InlineData("0")]
    [InlineData("100-10")]
    [InlineData("abc")]
    [InlineData("1-2-3")]
    public void TokenLengths_Bad_OneLineError(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => TokenLengths.Parse(text, "--prompt-len"));
        Assert.Contains("--prompt-len", e.Message, StringComparison.Ordinal);
    }
}
