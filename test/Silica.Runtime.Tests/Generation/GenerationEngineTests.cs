using Silica.Runtime.Backends.Cpu;
using Silica.Runtime.Batching;
using Silica.Runtime.Generation;
using Silica.Runtime.Generation.KvCache;
using static Silica.Runtime.Tests.Generation.EngineRuns;

namespace Silica.Runtime.Tests.Generation;

public sealed class GenerationEngineTests(LlamaTinyFixture model) : IClassFixture<LlamaTinyFixture>
{
    [Fact]
    public async Task GenerateAsync_GreedyAmongConcurrentMixedLengths_SameTokensAsAlone()
    {
        int[] lengths = [7, 90, 3, 41, 150, 18];
        int[] maxTokens = [20, 12, 24, 16, 10, 22];
        var prompts = lengths.Select((n, i) => model.Prompt(n, i)).ToArray();
        var alone = new int[prompts.Length][];
        await using (var engine = model.Engine())
        {
            for (var i = 0; i < prompts.Length; i++)
            {
                alone[i] = await GreedyAloneAsync(engine, prompts[i], maxTokens[i]);
                Assert.Equal(maxTokens[i], alone[i].Length);
            }
        }

        // Concurrent: staggered arrivals so sequences join mid-flight, prefill chunked and batched with decodes.
        var options = new GenerationEngineOptions { KvCacheBytes = 16L << 20, MaxRunningSequences = 4, PrefillChunkTokens = 32, MaxBatchedTokens = 64 };
        await using (var engine = model.Engine(options))
        {
            var tasks = new Task<List<GeneratedToken>>[prompts.Length];
            for (var i = 0; i < prompts.Length; i++)
            {
                tasks[i] = CollectAsync(engine.GenerateAsync(new GenerationRequest($"r{i}", prompts[i], SamplingOptions.Greedy(maxTokens[i]))));
                await Task.Delay(i % 2 == 0 ? 0 : 15);
            }
            var results = await Task.WhenAll(tasks);
            for (var i = 0; i < prompts.Length; i++)
            {
                Assert.Equal(alone[i], Tokens(results[i]));
                Assert.Equal(FinishReason.Length, results[i][^1].Finish);
                Assert.Equal(lengths[i], results[i][^1].PromptTokens);
                Assert.Equal(maxTokens[i], results[i][^1].CompletionTokens);
            }
            Assert.True(engine.PeakRunning > 1, "the requests should have shared steps");
            Assert.Equal(0, engine.Stats.KvBlocksUsed);
        }
    }

    [Fact]
    public async Task GenerateAsync_ChunkedPrefill_SameTokensAsWholePrompt()
    {
        var prompt = model.Prompt(200, 3);
        int[] whole, chunked;
        await using (var engine = model.Engine(new GenerationEngineOptions { KvCacheBytes = 16L << 20, PrefillChunkTokens = 512, MaxBatchedTokens = 512 }))
        {
            whole = await GreedyAloneAsync(engine, prompt, 12);
        }
        await using (var engine = model.Engine(new GenerationEngineOptions { KvCacheBytes = 16L << 20, PrefillChunkTokens = 24, MaxBatchedTokens = 24 }))
        {
            chunked = await GreedyAloneAsync(engine, prompt, 12);
        }
        Assert.Equal(whole, chunked);
    }

    [Fact]
    public async Task GenerateAsync_LogitsTrimmedToLastPosition_SameTokensAsFullLogits()
    {
        var prompts = new[] { model.Prompt(70, 30), model.Prompt(9, 31) };
        var options = new GenerationEngineOptions { KvCacheBytes = 16L << 20, PrefillChunkTokens = 32 };
        using var fullSession = new CpuBackend().CreateSession(model.Path, LlamaTinyFixture.SessionOptions);
        Assert.DoesNotContain(fullSession.Inputs, i => i.Name == LastPositionLogits.InputName);
        Assert.Contains(model.Session.Inputs, i => i.Name == LastPositionLogits.InputName);
        await using var full = GenerationEngine.Create(fullSession, model.Tokenizer, model.ContextLength, options);
        await using var trimmed = model.Engine(options);
        var expected = await Task.WhenAll(prompts.Select((p, i) => CollectAsync(full.GenerateAsync(new GenerationRequest($"f{i}", p, SamplingOptions.Greedy(10))))));
        var got = await Task.WhenAll(prompts.Select((p, i) => CollectAsync(trimmed.GenerateAsync(new GenerationRequest($"t{i}", p, SamplingOptions.Greedy(10))))));
        Assert.Equal(expected.Select(Tokens), got.Select(Tokens));
    }

    [Fact]
    public async Task GenerateAsync_TinyPool_PreemptsAndStillMatchesAlone()
    {
        // Context capped at 96 tokens and a pool of 8 blocks of 16 (128 tokens): four sequences growing to 54-69
        // tokens each cannot all fit, so the youngest are preempted and recomputed.
        var options = new GenerationEngineOptions
        {
            ContextLength = 96,
            BlockTokens = 16,
            KvCacheBytes = 8 * 16 * 2048,
            MaxRunningSequences = 4,
            PrefillChunkTokens = 64,
        };
        var prompts = Enumerable.Range(0, 4).Select(i => model.Prompt(30 + 5 * i, 10 + i)).ToArray();
        const int MaxTokens = 24;
        await using var engine = model.Engine(options);
        Assert.Equal(8, engine.Stats.KvBlocksTotal);
        var alone = new int[prompts.Length][];
        for (var i = 0; i < prompts.Length; i++)
        {
            alone[i] = await GreedyAloneAsync(engine, prompts[i], MaxTokens);
        }
        var results = await Task.WhenAll(prompts.Select((p, i) => CollectAsync(engine.GenerateAsync(new GenerationRequest($"p{i}", p, SamplingOptions.Greedy(MaxTokens))))));
        Assert.True(engine.Stats.Preempted > 0, "the pool is too small for all four; some must have been preempted");
        for (var i = 0; i < prompts.Length; i++)
        {
            Assert.Equal(alone[i], Tokens(results[i]));
        }
        Assert.Equal(0, engine.Stats.KvBlocksUsed);
    }

    [Fact]
    public async Task GenerateAsync_CancelledMidGeneration_FreesItsBlocks_OthersFinish()
    {
        await using var engine = model.Engine(new GenerationEngineOptions { KvCacheBytes = 16L << 20, MaxRunningSequences = 4 });
        using var cts = new CancellationTokenSource();
        var others = Enumerable.Range(0, 2)
            .Select(i => CollectAsync(engine.GenerateAsync(new GenerationRequest($"o{i}", model.Prompt(20, i), SamplingOptions.Greedy(40)))))
            .ToArray();
        var victim = new List<GeneratedToken>();
        await foreach (var item in engine.GenerateAsync(new GenerationRequest("victim", model.Prompt(60, 9), SamplingOptions.Greedy(1000)), cts.Token))
        {
            victim.Add(item);
            if (victim.Count == 5)
            {
                cts.Cancel();
            }
        }
        Assert.Equal(FinishReason.Cancelled, victim[^1].Finish);
        Assert.InRange(victim.Count, 6, 10);
        var finished = await Task.WhenAll(others);
        Assert.All(finished, r => Assert.Equal(40, Tokens(r).Length));
        Assert.Equal(0, engine.Stats.KvBlocksUsed);
        Assert.Equal(0, engine.Stats.Running);
    }

    [Fact]
    public async Task GenerateAsync_ConsumerStopsReading_SequenceIsCancelledAndBlocksFreed()
    {
        await using var engine = model.Engine();
        await foreach (var item in engine.GenerateAsync(new GenerationRequest("quitter", model.Prompt(30, 1), SamplingOptions.Greedy(1000))))
        {
            if (item.CompletionTokens == 3)
            {
                break;
            }
        }
        await WaitUntilAsync(() => engine.Stats.KvBlocksUsed == 0 && engine.Stats.Running == 0, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task DisposeAsync_WithRequestsInFlight_EndsTheirStreams_ThenRefusesNewOnes()
    {
        var engine = model.Engine();
        var running = engine.GenerateAsync(new GenerationRequest("long", model.Prompt(20, 4), SamplingOptions.Greedy(1000)));
        var seen = 0;
        var ended = await Assert.ThrowsAsync<ObjectDisposedException>(async () =>
        {
            await foreach (var item in running)
            {
                if (++seen == 2)
                {
                    await engine.DisposeAsync();
                }
            }
        });
        Assert.Contains("disposed", ended.Message, StringComparison.Ordinal);
        Assert.Throws<ObjectDisposedException>(() => engine.GenerateAsync(new GenerationRequest("late", [1, 2], SamplingOptions.Greedy(2))));
    }

    [Fact]
    public async Task GenerateAsync_QueueFull_ThrowsQueueFullException_OthersUnaffected()
    {
        await using var engine = model.Engine(new GenerationEngineOptions { KvCacheBytes = 16L << 20, MaxRunningSequences = 1, MaxBatchedTokens = 64, MaxWaitingRequests = 2 });
        using var cts = new CancellationTokenSource();
        var accepted = new List<Task<List<GeneratedToken>>>();
        QueueFullException? refused = null;
        for (var i = 0; i < 4 && refused is null; i++)
        {
            try
            {
                accepted.Add(CollectAsync(engine.GenerateAsync(new GenerationRequest($"q{i}", model.Prompt(10, i), SamplingOptions.Greedy(300)), cts.Token)));
            }
            catch (QueueFullException e)
            {
                refused = e;
            }
        }
        Assert.NotNull(refused);
        Assert.Contains("queue is full", refused.Message, StringComparison.Ordinal);
        cts.Cancel();
        var ends = await Task.WhenAll(accepted);
        Assert.All(ends, r => Assert.NotNull(r[^1].Finish));
        Assert.Equal(0, engine.Stats.Waiting);
        Assert.Equal(0, engine.Stats.KvBlocksUsed);
    }

    [Fact]
    public async Task GenerateAsync_SameSeed_SameTokens_OtherSeedDiffers()
    {
        await using var engine = model.Engine();
        var prompt = model.Prompt(12, 5);
        async Task<int[]> Sampled(long seed) => Tokens(await CollectAsync(engine.GenerateAsync(
            new GenerationRequest("s", prompt, new SamplingOptions(MaxTokens: 24, Temperature: 1f, TopK: 100, TopP: 0.95f, Seed: seed)))));
        var a = await Sampled(42);
        var b = await Sampled(42);
        var c = await Sampled(43);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public async Task GenerateAsync_StopSequence_EndsBeforeItAndHidesIt()
    {
        await using var engine = model.Engine();
        var prompt = model.Prompt(16, 2);
        var free = await CollectAsync(engine.GenerateAsync(new GenerationRequest("free", prompt, SamplingOptions.Greedy(30))));
        var fullText = string.Concat(free.Select(i => i.Text));
        Assert.Equal(model.Tokenizer.Decode(Tokens(free)), fullText);
        // Stop at a piece of the text the model will produce: the 3 characters starting a third of the way in.
        var at = Math.Max(1, fullText.Length / 3);
        var stop = fullText.Substring(at, Math.Min(3, fullText.Length - at));
        var expected = fullText[..fullText.IndexOf(stop, StringComparison.Ordinal)];
        var stopped = await CollectAsync(engine.GenerateAsync(new GenerationRequest("stop", prompt, SamplingOptions.Greedy(30) with { Stop = [stop] })));
        Assert.Equal(expected, string.Concat(stopped.Select(i => i.Text)));
        Assert.Equal(FinishReason.Stop, stopped[^1].Finish);
        Assert.True(Tokens(stopped).Length < 30);
    }

    [Fact]
    public async Task GenerateAsync_EndOfSequenceToken_StopsWithoutItsText()
    {
        var prompt = model.Prompt(14, 8);
        int[] free;
        await using (var engine = model.Engine())
        {
            free = await GreedyAloneAsync(engine, prompt, 12);
        }
        // Declare the 5th greedy token the end token (first occurrence), and generation must stop there.
        var stopAt = Array.IndexOf(free, free[4]);
        await using (var engine = GenerationEngine.Create(model.Session, new EndsAt(model.Tokenizer, free[stopAt]), model.ContextLength,
            new GenerationEngineOptions { KvCacheBytes = 16L << 20 }))
        {
            var items = await CollectAsync(engine.GenerateAsync(new GenerationRequest("eos", prompt, SamplingOptions.Greedy(12))));
            Assert.Equal(FinishReason.Stop, items[^1].Finish);
            Assert.Equal(free[..(stopAt + 1)], Tokens(items));
            Assert.Equal(model.Tokenizer.Decode(free[..stopAt]), string.Concat(items.Select(i => i.Text)));
            Assert.Equal(stopAt + 1, items[^1].CompletionTokens);
        }
    }

    [Fact]
    public async Task GenerateAsync_StaticBatching_SameTokensAsContinuous()
    {
        var prompts = Enumerable.Range(0, 3).Select(i => model.Prompt(10 + 20 * i, 20 + i)).ToArray();
        await using var continuous = model.Engine();
        var expected = await Task.WhenAll(prompts.Select(p => GreedyAloneAsync(continuous, p, 8 + prompts.Length)));
        await using var staticEngine = model.Engine(new GenerationEngineOptions { KvCacheBytes = 16L << 20, Batching = GenerationBatching.Static, MaxRunningSequences = 3 });
        var got = await Task.WhenAll(prompts.Select(p => GreedyAloneAsync(staticEngine, p, 8 + prompts.Length)));
        Assert.Equal(expected, got);
    }

    [Fact]
    public async Task GenerateAsync_StaticBatch_PadsPromptsAndKeepsFinishedRowsDecoding_RealRowsSameAsAlone()
    {
        // Prompts 10, 30, 50 and outputs 4, 8, 16 in one static batch (the long wait makes it exactly these three),
        // prefilled in chunks of 16. A fixed-shape batch computes rows × (longest prompt + longest output - 1):
        // 3 × 50 prefill positions, then 3 rows × 15 decode steps until the 16-token row ends = 195 positions, of
        // which (10 + 3) + (30 + 7) + (50 + 15) = 115 are real and 80 padding.
        int[] lengths = [10, 30, 50];
        int[] maxTokens = [4, 8, 16];
        var prompts = lengths.Select((n, i) => model.Prompt(n, 40 + i)).ToArray();
        var options = new GenerationEngineOptions { KvCacheBytes = 16L << 20, MaxRunningSequences = 3, PrefillChunkTokens = 16 };
        await using var alone = model.Engine(options);
        var expected = new int[prompts.Length][];
        for (var i = 0; i < prompts.Length; i++)
        {
            expected[i] = await GreedyAloneAsync(alone, prompts[i], maxTokens[i]);
        }

        await using var continuous = model.Engine(options);
        await using var staticEngine = model.Engine(options with { Batching = GenerationBatching.Static, StaticBatchWait = TimeSpan.FromSeconds(30) });
        foreach (var engine in new[] { continuous, staticEngine })
        {
            var got = await Task.WhenAll(prompts.Select((p, i) => GreedyAloneAsync(engine, p, maxTokens[i])));
            Assert.Equal(expected, got);
            Assert.Equal(0, engine.Stats.KvBlocksUsed);
            Assert.Equal(0, engine.Stats.Running);
        }
        Assert.Equal(195, staticEngine.Stats.ComputedTokensTotal);
        Assert.Equal(80, staticEngine.Stats.PaddingTokensTotal);
        Assert.True(continuous.Stats.ComputedTokensTotal < 150,
            $"continuous batching computes only live rows ({continuous.Stats.ComputedTokensTotal} positions, static 195)");
    }

    [Fact]
    public async Task GenerateAsync_StaticBatch_CancelledRowEndsAtOnce_HoldsBlocksUntilBatchEnds()
    {
        var options = new GenerationEngineOptions
        {
            KvCacheBytes = 16L << 20,
            MaxRunningSequences = 3,
            Batching = GenerationBatching.Static,
            StaticBatchWait = TimeSpan.FromSeconds(30),
        };
        await using var engine = model.Engine(options);
        using var cts = new CancellationTokenSource();
        var others = Enumerable.Range(0, 2)
            .Select(i => CollectAsync(engine.GenerateAsync(new GenerationRequest($"o{i}", model.Prompt(20, i), SamplingOptions.Greedy(60)))))
            .ToArray();
        var victim = new List<GeneratedToken>();
        await foreach (var item in engine.GenerateAsync(new GenerationRequest("s-victim", model.Prompt(150, 9), SamplingOptions.Greedy(1000)), cts.Token))
        {
            victim.Add(item);
            if (victim.Count == 5)
            {
                cts.Cancel();
            }
        }
        var during = engine.Stats;
        // Its stream ended while the batch still ran (the client does not wait for the batch), with the others mid-way
        // (a slow reader may see a few tokens made before the cancel reached the scheduler).
        Assert.Equal(FinishReason.Cancelled, victim[^1].Finish);
        Assert.InRange(victim.Count, 6, 30);
        Assert.Equal(2, during.Running);
        // The others (20 prompt + up to 30 output tokens) hold 2 to 4 blocks each, 8 at most; 14 or more means the
        // cancelled row's 150+ tokens (10 blocks) are still held, as they are until the batch ends.
        Assert.True(during.KvBlocksUsed >= 14, $"{during.KvBlocksUsed} blocks in use; the cancelled row's 10 should be held until the batch ends");

        var finished = await Task.WhenAll(others);
        Assert.All(finished, r => Assert.Equal(60, Tokens(r).Length));
        // The cancelled row rode along as padding for the rest of the batch (30 or more decode steps).
        Assert.True(engine.Stats.PaddingTokensTotal >= 30, $"padding {engine.Stats.PaddingTokensTotal}");
        Assert.Equal(0, engine.Stats.KvBlocksUsed);
        Assert.Equal(0, engine.Stats.Running);
    }

    [Fact]
    public async Task GenerateAsync_BadRequests_ThrowBeforeQueueing()
    {
        await using var engine = model.Engine(new GenerationEngineOptions { KvCacheBytes = 16L << 20, ContextLength = 64 });
        Assert.Throws<ArgumentException>(() => engine.GenerateAsync(new GenerationRequest("e", [], SamplingOptions.Greedy(4))));
        var tooLong = Assert.Throws<PromptTooLongException>(() => engine.GenerateAsync(new GenerationRequest("l", model.Prompt(64, 1), SamplingOptions.Greedy(4))));
        Assert.Contains("64", tooLong.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => engine.GenerateAsync(new GenerationRequest("t", [1, 2], new SamplingOptions(Temperature: 3f))));
        Assert.Throws<ArgumentException>(() => engine.GenerateAsync(new GenerationRequest("v", [1, 60000], SamplingOptions.Greedy(4))));
        Assert.Equal(0, engine.Stats.Waiting);

        // A prompt that fits leaves room for output only up to the context length.
        var end = await CollectAsync(engine.GenerateAsync(new GenerationRequest("c", model.Prompt(60, 1), SamplingOptions.Greedy(100))));
        Assert.Equal(4, Tokens(end).Length);
        Assert.Equal(FinishReason.Length, end[^1].Finish);
    }

    private sealed class EndsAt(ITextTokenizer inner, int endOfSequence) : ITextTokenizer
    {
        public string Source => inner.Source;

        public int? EndOfSequenceId => endOfSequence;

        public IReadOnlyList<int> Encode(string text) => inner.Encode(text);

        public string Decode(IEnumerable<int> ids) => inner.Decode(ids);
    }
}
