using System.Diagnostics;
using Silica.Runtime.Generation;

namespace Silica.Benchmarking.Llm;

/// <summary>
/// Drives a generation engine in this process (no HTTP), greedy, with the same synthetic prompts as
/// <see cref="OpenAiCompletionsTarget"/> cut or padded to exactly the asked length.
/// </summary>
public sealed class GenerationEngineTarget(IGenerationEngine engine, bool ownsEngine = false) : ILlmTarget
{
    private int _next;

    /// <inheritdoc/>
    public string Description => $"{engine.ModelName} in process (context {engine.ContextLength})";

    /// <inheritdoc/>
    public async Task<LlmOutcome> SendAsync(LlmRequest request, long scheduledTimestamp, Action<TimeSpan> interTokenGap, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(interTokenGap);
        var words = engine.Tokenizer.Encode(SyntheticPrompt.Text(request.PromptTokens, request.PromptSeed));
        var ids = Enumerable.Range(0, request.PromptTokens).Select(i => words[i % words.Count]).ToArray();
        var id = "bench-" + Interlocked.Increment(ref _next).ToString(System.Globalization.CultureInfo.InvariantCulture);
        TimeSpan? first = null;
        long last = 0;
        GeneratedToken final = default;
        try
        {
            await foreach (var item in engine.GenerateAsync(new GenerationRequest(id, ids, SamplingOptions.Greedy(request.OutputTokens)), cancellationToken).ConfigureAwait(false))
            {
                var now = Stopwatch.GetTimestamp();
                if (item.TokenId >= 0)
                {
                    if (first is null)
                    {
                        first = Stopwatch.GetElapsedTime(scheduledTimestamp, now);
                    }
                    else
                    {
                        interTokenGap(Stopwatch.GetElapsedTime(last, now));
                    }
                    last = now;
                }
                final = item;
            }
        }
        catch (Exception e) when (e is ArgumentException or Runtime.Batching.QueueFullException or InvalidOperationException)
        {
            return LlmOutcome.Failed(e.Message, Stopwatch.GetElapsedTime(scheduledTimestamp));
        }
        var end = Stopwatch.GetElapsedTime(scheduledTimestamp);
        return first is { } ttft
            ? new LlmOutcome(null, final.PromptTokens, final.CompletionTokens, ttft, end)
            : LlmOutcome.Failed("the sequence ended without a token", end);
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ownsEngine ? engine.DisposeAsync() : ValueTask.CompletedTask;
}
