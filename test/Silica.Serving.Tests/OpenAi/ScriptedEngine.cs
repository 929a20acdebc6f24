using System.Runtime.CompilerServices;
using Silica.Runtime.Batching;
using Silica.Runtime.Generation;

namespace Silica.Serving.Tests.OpenAi;

/// <summary>
/// A stand-in generation engine for tests of the OpenAI front end's protocol framing only (JSON shapes, SSE, error
/// mapping, cancellation plumbing): it "generates" the words of <see cref="Script"/> in order, one per step. The
/// functional tests run the real engine; nothing here stands for model output.
/// </summary>
internal sealed class ScriptedEngine(string name = "scripted", int contextLength = 64) : IGenerationEngine
{
    private int _running;
    private int _blocks;

    public string ModelName { get; } = name;

    public int ContextLength { get; } = contextLength;

    public ITextTokenizer Tokenizer { get; } = new WordTokenizer();

    /// <summary>The words produced, in order (word i is token id i + 1000).</summary>
    public string[] Script { get; set; } = ["Hello", " world", ",", " how", " are", " you", "?"];

    /// <summary>Index in <see cref="Script"/> after which the engine emits end-of-sequence (null: never).</summary>
    public int? EndAfter { get; set; }

    /// <summary>
    /// When set, the engine stops after this many tokens and waits until the request is cancelled, so a test can
    /// disconnect mid-stream knowing the sequence cannot end any other way (a per-step delay raced the client on a
    /// starved CI runner: the sequence finished before the disconnect reached the server).
    /// </summary>
    public int? HoldAfter { get; set; }

    /// <summary>When set, every request is refused as if the queue were full.</summary>
    public bool QueueFull { get; set; }

    public GenerationRequest? LastRequest { get; private set; }

    public int Cancelled => Volatile.Read(ref _cancelled);

    private int _cancelled;

    public GenerationStats Stats => new(Volatile.Read(ref _running), 0, 0, Volatile.Read(ref _blocks), 16, 0, 0);

    public async IAsyncEnumerable<GeneratedToken> GenerateAsync(GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        request.Sampling.Validate();
        if (request.PromptTokens.Count + 1 > ContextLength)
        {
            throw new PromptTooLongException(request.PromptTokens.Count, ContextLength);
        }
        if (QueueFull)
        {
            throw new QueueFullException(7, TimeSpan.FromMilliseconds(1500));
        }
        LastRequest = request;
        Interlocked.Increment(ref _running);
        Interlocked.Add(ref _blocks, 2);
        try
        {
            var prompt = request.PromptTokens.Count;
            for (var i = 0; ; i++)
            {
                if (HoldAfter is { } hold && i >= hold)
                {
                    try
                    {
                        await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
                    }
                    catch (OperationCanceledException)
                    {
                        Interlocked.Increment(ref _cancelled);
                        throw;
                    }
                }
                else
                {
                    await Task.Yield();
                }
                var n = i + 1;
                if (EndAfter is { } end && i > end)
                {
                    yield return new GeneratedToken(50256, "", FinishReason.Stop, prompt, n);
                    yield break;
                }
                var word = Script[i % Script.Length];
                var last = n >= request.Sampling.MaxTokens || prompt + n >= ContextLength;
                yield return new GeneratedToken(1000 + (i % Script.Length), word, last ? FinishReason.Length : null, prompt, n);
                if (last)
                {
                    yield break;
                }
            }
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            Interlocked.Add(ref _blocks, -2);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>One token per whitespace-separated word.</summary>
    private sealed class WordTokenizer : ITextTokenizer
    {
        public string Source => "test words";

        public int? EndOfSequenceId => 50256;

        public IReadOnlyList<int> Encode(string text) => [.. text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(w => w.Length)];

        public string Decode(IEnumerable<int> ids) => string.Join(" ", ids);
    }
}
