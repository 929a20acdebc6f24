using System.Diagnostics;
using System.Runtime.CompilerServices;
using Silica.Benchmarking.SystemsUnderTest;

namespace Silica.Benchmarking.Scenarios;

/// <summary>
/// A pooled in-flight query: the <see cref="Query"/> handed to the SUT, its scheduled issue time, and a
/// continuation delegate created once per pooled object, so awaiting the SUT allocates nothing per query.
/// </summary>
internal sealed class PendingQuery
{
    private readonly LoadRun _run;
    private readonly Action _onCompleted;
    private ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter _awaiter;

    public PendingQuery(LoadRun run, int capacity)
    {
        _run = run;
        Query = new Query(capacity);
        _onCompleted = OnCompletedAsynchronously;
    }

    public Query Query { get; }

    /// <summary>When the query was meant to be issued (Stopwatch ticks); latency is measured from here.</summary>
    public long ScheduledTimestamp { get; set; }

    /// <summary>Whether the query is past warm-up and counts in the results.</summary>
    public bool Measured { get; set; }

    /// <summary>Records the outcome now if the SUT finished synchronously, otherwise when it finishes.</summary>
    /// <returns>Whether the query was finished (and recorded) synchronously, on the calling thread.</returns>
    public bool Track(ValueTask task)
    {
        var awaiter = task.ConfigureAwait(false).GetAwaiter();
        if (awaiter.IsCompleted)
        {
            Finish(awaiter, completedInline: true);
            return true;
        }

        _awaiter = awaiter;
        // Unsafe: no ExecutionContext capture, which would allocate and is not needed by the harness.
        awaiter.UnsafeOnCompleted(_onCompleted);
        return false;
    }

    private void OnCompletedAsynchronously()
    {
        var awaiter = _awaiter;
        _awaiter = default;
        Finish(awaiter, completedInline: false);
    }

    private void Finish(ConfiguredValueTaskAwaitable.ConfiguredValueTaskAwaiter awaiter, bool completedInline)
    {
        // Timestamp first: the completion time must not include the bookkeeping below.
        var completed = Stopwatch.GetTimestamp();
        bool succeeded;
        try
        {
            awaiter.GetResult();
            succeeded = true;
        }
#pragma warning disable CA1031 // A failed query is counted, whatever the SUT threw.
        catch (Exception)
#pragma warning restore CA1031
        {
            succeeded = false;
        }

        _run.OnQueryFinished(this, completed, succeeded, completedInline);
    }
}
