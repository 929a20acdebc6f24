using Silica.Onnx.Graph;
using Silica.Onnx.Zoo;
using Silica.Runtime.Backends;
using Silica.Runtime.Backends.Cpu;
using Silica.Runtime.Generation;
using Silica.Runtime.Generation.KvCache;
using Silica.Runtime.Generation.Tokenization;

namespace Silica.Runtime.Tests.Generation;

/// <summary>
/// zoo:llama-tiny (4 layers, 2 kv heads, GPT-2 vocabulary, synthetic weights) loaded once in ONNX Runtime and shared
/// by the engine tests of one class; each test starts its own engine over it (the tests of a class run one at a time).
/// </summary>
public sealed class LlamaTinyFixture : IDisposable
{
    public LlamaTinyFixture()
    {
        Path = ModelZoo.GetOrCreateFile("llama-tiny");
        // As GenerationEngine.Create loads it: the LM head trimmed to each row's last new token.
        var model = OnnxModel.Load(Path);
        Assert.True(LastPositionLogits.TryApply(model));
        Session = new CpuBackend().CreateSession(model, SessionOptions);
        Tokenizer = Gpt2Tokenizer.Instance;
        ContextLength = (int)DecoderMetadata.TryRead(ModelZoo.Build("llama-tiny", new ZooBuildOptions { WithWeights = false }))!.ContextLength!.Value;
    }

    public static SessionOptions SessionOptions { get; } = new() { IntraOpThreads = 2, AllowSpinning = false, ModelName = "llama-tiny" };

    /// <summary>The model file as exported (logits at every new token).</summary>
    public string Path { get; }

    public ISession Session { get; }

    public ITextTokenizer Tokenizer { get; }

    public int ContextLength { get; }

    public GenerationEngine Engine(GenerationEngineOptions? options = null) =>
        GenerationEngine.Create(Session, Tokenizer, ContextLength, options ?? new GenerationEngineOptions { KvCacheBytes = 16L << 20 });

    /// <summary>A prompt of exactly <paramref name="length"/> tokens, different for each <paramref name="seed"/>.</summary>
    public IReadOnlyList<int> Prompt(int length, int seed)
    {
        var ids = new List<int>(length);
        var text = Tokenizer.Encode($"Request {seed}: the quick brown fox jumps over the lazy dog while counting {seed * 7} sheep and ");
        for (var i = 0; ids.Count < length; i++)
        {
            ids.Add(text[i % text.Count]);
        }
        return ids;
    }

    public void Dispose() => Session.Dispose();
}

/// <summary>Helpers to drive an engine to completion.</summary>
internal static class EngineRuns
{
    public static async Task<List<GeneratedToken>> CollectAsync(IAsyncEnumerable<GeneratedToken> stream)
    {
        var items = new List<GeneratedToken>();
        await foreach (var item in stream)
        {
            items.Add(item);
        }
        return items;
    }

    public static int[] Tokens(List<GeneratedToken> items) => [.. items.Where(i => i.TokenId >= 0).Select(i => i.TokenId)];

    public static async Task<int[]> GreedyAloneAsync(IGenerationEngine engine, IReadOnlyList<int> prompt, int maxTokens) =>
        Tokens(await CollectAsync(engine.GenerateAsync(new GenerationRequest("alone", prompt, SamplingOptions.Greedy(maxTokens)))));

    public static async Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(5);
        }
    }
}
