using Silica.Runtime.Generation;
using Silica.Runtime.Generation.Sampling;

namespace Silica.Runtime.Tests.Generation;

public sealed class TokenSamplerTests
{
    private static readonly float[] Logits = [1f, 3f, 2f, 0.5f, 3f, -1f];

    [Fact]
    public void Sample_Greedy_TakesArgMaxLowestIdOnTie()
    {
        var sampler = new TokenSampler();
        Assert.Equal(1, sampler.Sample(Logits, SamplingOptions.Greedy(4), new Random(1)));
        Assert.Equal(2, TokenSampler.ArgMax([float.NaN, -1f, 5f, float.NaN]));
        Assert.Equal(0, TokenSampler.ArgMax([float.NegativeInfinity, float.NegativeInfinity]));
    }

    [Fact]
    public void Sample_TopK2_OnlyTheTwoLargest()
    {
        var sampler = new TokenSampler();
        var options = new SamplingOptions(Temperature: 1.5f, TopK: 2);
        var seen = new HashSet<int>();
        var random = new Random(3);
        for (var i = 0; i < 500; i++)
        {
            seen.Add(sampler.Sample(Logits, options, random));
        }
        Assert.Equal([1, 4], seen.Order());
    }

    [Fact]
    public void Sample_TopP_KeepsTheSmallestNucleus()
    {
        // Softmax of [0, ln 6, ln 3, ln 1] ∝ [1, 6, 3, 1] / 11: token 1 alone has 0.545; with token 2, 0.818.
        float[] logits = [0f, MathF.Log(6f), MathF.Log(3f), 0f];
        var sampler = new TokenSampler();
        var random = new Random(5);
        var half = Enumerable.Range(0, 300).Select(_ => sampler.Sample(logits, new SamplingOptions(TopP: 0.5f), random)).ToHashSet();
        Assert.Equal([1], half);
        var eighty = Enumerable.Range(0, 600).Select(_ => sampler.Sample(logits, new SamplingOptions(TopP: 0.8f), random)).ToHashSet();
        Assert.Equal([1, 2], eighty.Order());
    }

    [Fact]
    public void Sample_Temperature_FollowsTheSoftmax()
    {
        float[] logits = [0f, MathF.Log(3f)]; // probabilities 1/4 and 3/4 at temperature 1
        var sampler = new TokenSampler();
        var random = new Random(11);
        const int N = 20000;
        var ones = Enumerable.Range(0, N).Count(_ => sampler.Sample(logits, new SamplingOptions(Temperature: 1f), random) == 1);
        Assert.InRange(ones / (double)N, 0.73, 0.77);
        // A low temperature sharpens it: (3^(1/0.25)) / (1 + 3^4) = 81/82.
        ones = Enumerable.Range(0, N).Count(_ => sampler.Sample(logits, new SamplingOptions(Temperature: 0.25f), random) == 1);
        Assert.InRange(ones / (double)N, 0.975, 0.9999);
    }

    [Fact]
    public void Sample_SameSeed_SameTokens()
    {
        var logits = Enumerable.Range(0, 1000).Select(i => MathF.Sin(i * 0.37f) * 3f).ToArray();
        var options = new SamplingOptions(Temperature: 0.9f, TopK: 50, TopP: 0.9f, Seed: 1234);
        int[] Draw()
        {
            var sampler = new TokenSampler();
            var random = new Random(1234);
            return [.. Enumerable.Range(0, 64).Select(_ => sampler.Sample(logits, options, random))];
        }
        var a = Draw();
        Assert.Equal(a, Draw());
        Assert.True(a.Distinct().Count() > 1, "a 0.9 temperature over 50 candidates should not always pick the same token");
    }
}
