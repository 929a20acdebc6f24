namespace Silica.Benchmarking.SystemsUnderTest;

/// <summary>
/// The system under test (SUT) as the load generator sees it: something that accepts a query of one or
/// more samples and finishes it some time later. The load generator timestamps issue and completion
/// itself; the SUT only signals completion by completing the returned task (a faulted task counts the
/// query as failed).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="IssueAsync"/> should return quickly: in the Server scenario it is called on the issue
/// thread, and time spent inside it delays later arrivals (which then show up as latency, because
/// latency is measured from the scheduled issue time). Long synchronous work belongs on worker threads;
/// <see cref="SynchronousSystemUnderTest"/> does that for a blocking inference call.
/// </para>
/// <para>
/// The <see cref="Query"/> is pooled and reused after the returned task completes. For an allocation-free
/// hot path, return <see cref="ValueTask"/>s backed by pooled <see cref="System.Threading.Tasks.Sources.IValueTaskSource"/>s
/// (or <see cref="ValueTask.CompletedTask"/>) rather than <see cref="Task"/>s.
/// </para>
/// </remarks>
public interface ISystemUnderTest
{
    /// <summary>Issues a query; the returned task completes when the SUT has finished every sample.</summary>
    /// <param name="query">The query. Valid until the returned task completes.</param>
    /// <param name="cancellationToken">Signalled when the run is cancelled.</param>
    /// <returns>A task that completes when the query is done, or faults when it failed.</returns>
    ValueTask IssueAsync(Query query, CancellationToken cancellationToken);
}
