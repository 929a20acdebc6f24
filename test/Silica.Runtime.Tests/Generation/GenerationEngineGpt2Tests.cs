using Silica.Runtime.Backends;
using Silica.Runtime.Generation;
using static Silica.Runtime.Tests.Generation.EngineRuns;

namespace Silica.Runtime.Tests.Generation;

public sealed class GenerationEngineGpt2Tests
{
    [Fact]
    public async Task Create_ZooGpt2Small_ConcurrentGreedyMatchesAlone_AndTextDecodes()
    {
        // gpt2-small: 12 layers × 12 kv heads × 64, so 72 KiB of cache per token; a 256-token context keeps the pool small.
        var options = new GenerationEngineOptions
        {
            KvCacheBytes = 48L << 20,
            ContextLength = 256,
            MaxRunningSequences = 3,
            PrefillChunkTokens = 16,
            MaxBatchedTokens = 32,
            // The file as exported (logits at every new token): loads without the in-memory rewrite, which llama-tiny's tests cover.
            LogitsForLastPositionOnly = false,
            Session = new SessionOptions { IntraOpThreads = 2, AllowSpinning = false, GraphOptimization = GraphOptimization.Basic },
        };
        await using var engine = GenerationEngine.Create("zoo:gpt2-small", options);
        Assert.Equal("gpt2-small", engine.ModelName);
        Assert.Equal(256, engine.ContextLength);
        Assert.Equal(50256, engine.Tokenizer.EndOfSequenceId);
        string[] texts = ["Hello, my name is", "The capital of France is a city that has long been known for its", "Once"];
        var prompts = texts.Select(engine.Tokenizer.Encode).ToArray();
        var alone = new int[prompts.Length][];
        for (var i = 0; i < prompts.Length; i++)
        {
            alone[i] = await GreedyAloneAsync(engine, prompts[i], 6);
        }
        var together = await Task.WhenAll(prompts.Select((p, i) => CollectAsync(engine.GenerateAsync(new GenerationRequest($"g{i}", p, SamplingOptions.Greedy(6))))));
        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(alone[i], Tokens(together[i]));
            Assert.Equal(engine.Tokenizer.Decode(Tokens(together[i])), string.Concat(together[i].Select(t => t.Text)));
        }
        Assert.Equal(0, engine.Stats.KvBlocksUsed);
    }

    [Theory]
    [InlineData("zoo:no-such-model", "unknown zoo model")]
    [InlineData("/no/such/file.onnx", "not found")]
    [InlineData("zoo:mlp", "not a KV-cache decoder")]
    public void Create_BadModel_ThrowsArgumentExceptionNamingTheProblem(string model, string message)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => GenerationEngine.Create(model));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_CacheSmallerThanOneContext_SaysHowMuchIsNeeded()
    {
        var e = Assert.Throws<ArgumentException>(() => GenerationEngine.Create("zoo:llama-tiny", new GenerationEngineOptions { KvCacheBytes = 1 << 20 }));
        Assert.Contains("needs", e.Message, StringComparison.Ordinal);
        Assert.Contains("2048", e.Message, StringComparison.Ordinal);
    }
}
