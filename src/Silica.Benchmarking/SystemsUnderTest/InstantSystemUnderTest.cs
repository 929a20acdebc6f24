namespace Silica.Benchmarking.SystemsUnderTest;

/// <summary>
/// A system under test that finishes every query synchronously, at once. It measures the load
/// generator itself: its overhead per query and how precisely it holds a schedule.
/// </summary>
public sealed class InstantSystemUnderTest : ISystemUnderTest
{
    private long _issued;

    /// <summary>Number of queries issued to this instance.</summary>
    public long IssuedQueries => Volatile.Read(ref _issued);

    /// <inheritdoc />
    public ValueTask IssueAsync(Query query, CancellationToken cancellationToken)
    {
        // Single issue thread in every scenario, but Interlocked keeps the count right if a caller shares it.
        Interlocked.Increment(ref _issued);
        return ValueTask.CompletedTask;
    }
}
