namespace Silica.Benchmarking.Llm;

/// <summary>What an LLM benchmark drives: a generation engine in this process, or an OpenAI-compatible server.</summary>
public interface ILlmTarget : IAsyncDisposable
{
    /// <summary>The model and where it runs, for the report.</summary>
    string Description { get; }

    /// <summary>
    /// Sends one request and streams it to the end. Times are measured from <paramref name="scheduledTimestamp"/>
    /// (a <see cref="System.Diagnostics.Stopwatch"/> timestamp); every gap between generated chunks goes to
    /// <paramref name="interTokenGap"/>. Failures are returned, not thrown.
    /// </summary>
    Task<LlmOutcome> SendAsync(LlmRequest request, long scheduledTimestamp, Action<TimeSpan> interTokenGap, CancellationToken cancellationToken);
}
