namespace Silica.Runtime.Generation;

/// <summary>
/// A decoder model behind a continuous-batching scheduler: requests join and leave the running batch between
/// steps. Safe to call from many threads.
/// </summary>
public interface IGenerationEngine : IAsyncDisposable
{
    /// <summary>The model's name (as served).</summary>
    string ModelName { get; }

    /// <summary>The most tokens a sequence may hold, prompt plus output.</summary>
    int ContextLength { get; }

    /// <summary>The model's tokenizer.</summary>
    ITextTokenizer Tokenizer { get; }

    /// <summary>Current scheduler and cache figures.</summary>
    GenerationStats Stats { get; }

    /// <summary>
    /// Queues a request and streams its tokens as they are generated. Cancelling <paramref name="cancellationToken"/>
    /// removes the sequence at the next step and frees its cache blocks; the stream then ends. (With
    /// <see cref="GenerationBatching.Static"/> the stream ends just as soon, but the blocks are freed when its batch ends.)
    /// </summary>
    /// <exception cref="ArgumentException">Invalid sampling options or an empty prompt (before anything is queued).</exception>
    /// <exception cref="PromptTooLongException">The prompt (plus one output token) exceeds <see cref="ContextLength"/>.</exception>
    /// <exception cref="Batching.QueueFullException">Too many requests are waiting.</exception>
    IAsyncEnumerable<GeneratedToken> GenerateAsync(GenerationRequest request, CancellationToken cancellationToken = default);
}
