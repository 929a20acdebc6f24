using System.Runtime.CompilerServices;
using Silica.Runtime.Backends;
using Silica.Runtime.Generation.KvCache;
using Silica.Runtime.Generation.Scheduling;

namespace Silica.Runtime.Generation;

/// <summary>
/// Generates text with a decoder exported in the Hugging Face Optimum with-past convention, over any
/// <see cref="ISession"/>: a paged KV cache (fixed-size blocks taken as sequences grow, preemption by recompute when
/// they run out), iteration-level continuous batching with chunked prefill on one dedicated scheduler thread, and
/// per-request sampling. See <see cref="GenerationEngineOptions"/> for the knobs.
/// </summary>
public sealed partial class GenerationEngine : IGenerationEngine
{
    private readonly ISession _session;
    private readonly bool _ownsSession;
    private readonly DecoderRunner _runner;
    private readonly KvBlockPool _pool;
    private readonly StepScheduler _scheduler;
    private int _disposed;

    private GenerationEngine(ISession session, bool ownsSession, ITextTokenizer tokenizer, int contextLength, GenerationEngineOptions options)
    {
        options.Validate();
        if (options.ContextLength is { } cap)
        {
            contextLength = Math.Min(contextLength, cap);
        }
        if (contextLength < 2)
        {
            throw new ArgumentException($"the context length must be at least 2 tokens (is {contextLength})");
        }
        _runner = DecoderRunner.Create(session, contextLength);
        try
        {
            var shape = _runner.Shape;
            CheckCacheHoldsOneContext(shape.BytesPerToken, contextLength, options);
            _pool = new KvBlockPool(shape, options.BlockTokens, KvBlockPool.BlocksFor(options.KvCacheBytes, shape, options.BlockTokens));
        }
        catch
        {
            _runner.Dispose();
            throw;
        }
        _session = session;
        _ownsSession = ownsSession;
        Tokenizer = tokenizer;
        ContextLength = contextLength;
        ModelName = options.ModelName ?? session.ModelName;
        Options = options;
        _scheduler = new StepScheduler(_runner, _pool, tokenizer, options);
    }

    /// <inheritdoc/>
    public string ModelName { get; }

    /// <inheritdoc/>
    public int ContextLength { get; }

    /// <inheritdoc/>
    public ITextTokenizer Tokenizer { get; }

    /// <inheritdoc/>
    public GenerationStats Stats => _scheduler.Stats;

    /// <summary>The options the engine runs with.</summary>
    public GenerationEngineOptions Options { get; }

    /// <summary>The vocabulary size (logits per position).</summary>
    public int VocabularySize => _runner.Shape.Vocab;

    /// <summary>Bytes of the KV-cache block pool actually allocated.</summary>
    public long KvCacheBytes => _pool.BlockCount * KvBlockPool.BytesPerBlock(_runner.Shape, _pool.BlockTokens);

    /// <summary>The most sequences that were running at once since start (what the cache could hold under the load seen).</summary>
    public int PeakRunning => _scheduler.PeakRunning;

    /// <summary>
    /// Creates an engine over a loaded decoder session.
    /// </summary>
    /// <param name="session">A with-past decoder: input_ids, attention_mask, [position_ids,] past_key_values.N.key|value → logits, present.N.key|value.</param>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="contextLength">The most tokens a sequence may hold (the model's maximum positions).</param>
    /// <param name="options">Cache and scheduling options; defaults when null.</param>
    /// <param name="ownsSession">Dispose the session with the engine.</param>
    /// <exception cref="ArgumentException">The session is not such a decoder, an option is out of range, or the cache cannot hold one full-length sequence.</exception>
    public static GenerationEngine Create(ISession session, ITextTokenizer tokenizer, int contextLength, GenerationEngineOptions? options = null, bool ownsSession = false)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(tokenizer);
        return new GenerationEngine(session, ownsSession, tokenizer, contextLength, options ?? new GenerationEngineOptions());
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<GeneratedToken> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (request.Sampling is null)
        {
            throw new ArgumentException("sampling options are required");
        }
        request.Sampling.Validate();
        var prompt = request.PromptTokens;
        if (prompt is null || prompt.Count == 0)
        {
            throw new ArgumentException("the prompt is empty; it needs at least one token");
        }
        if (prompt.Count + 1 > ContextLength)
        {
            throw new PromptTooLongException(prompt.Count, ContextLength);
        }
        var vocab = _runner.Shape.Vocab;
        foreach (var id in prompt)
        {
            if ((uint)id >= (uint)vocab)
            {
                throw new ArgumentException($"prompt token id {id} is outside the vocabulary (0 to {vocab - 1})");
            }
        }
        var seq = _scheduler.Enqueue(request, cancellationToken);
        return Read(seq, _scheduler);
    }

    /// <summary>Stops the scheduler (running and waiting requests end with <see cref="ObjectDisposedException"/>) and frees the cache.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _scheduler.Dispose();
            _runner.Dispose();
            if (_ownsSession)
            {
                _session.Dispose();
            }
        }
        return ValueTask.CompletedTask;
    }

    // A pool that cannot hold one full-length sequence could deadlock a lone long request; refuse it up front.
    private static void CheckCacheHoldsOneContext(long bytesPerToken, int contextLength, GenerationEngineOptions options)
    {
        var blockBytes = bytesPerToken * options.BlockTokens;
        var blocks = options.KvCacheBytes / blockBytes;
        var needed = (contextLength + options.BlockTokens - 1) / options.BlockTokens;
        if (blocks < needed)
        {
            throw new ArgumentException(
                $"a KV cache of {options.KvCacheBytes} bytes holds {blocks} blocks of {options.BlockTokens} tokens ({blockBytes} bytes each); " +
                $"one sequence of the full context length ({contextLength}) needs {needed} ({needed * blockBytes} bytes)");
        }
    }

    // Streams a sequence's channel; a consumer that stops early (break, dispose, its own token) cancels the sequence.
    private static async IAsyncEnumerable<GeneratedToken> Read(Sequence seq, StepScheduler scheduler, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var finished = false;
        using var registration = cancellationToken.UnsafeRegister(static (s, _) =>
        {
            var (sch, sq) = ((StepScheduler, Sequence))s!;
            sch.Cancel(sq);
        }, (scheduler, seq));
        try
        {
            var reader = seq.Output.Reader;
            while (await reader.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    finished |= item.Finish is not null;
                    yield return item;
                }
            }
        }
        finally
        {
            if (!finished)
            {
                scheduler.Cancel(seq);
            }
        }
    }
}
