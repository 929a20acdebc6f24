namespace Silica.Benchmarking.SystemsUnderTest;

/// <summary>
/// A query issued to an <see cref="ISystemUnderTest"/>: one or more samples that the system processes
/// together (a batch). Query objects are pooled by the load generator: a system under test may read
/// the query only until the task returned by <see cref="ISystemUnderTest.IssueAsync"/> completes, and
/// must not keep a reference after that.
/// </summary>
public sealed class Query
{
    private readonly QuerySample[] _samples;
    private int _count;

    /// <summary>Creates a query able to hold up to <paramref name="capacity"/> samples.</summary>
    /// <param name="capacity">The largest number of samples this query will carry.</param>
    public Query(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _samples = new QuerySample[capacity];
    }

    /// <summary>Unique, increasing id of the query within one run.</summary>
    public long Id { get; private set; }

    /// <summary>Number of samples in the query (the batch size).</summary>
    public int SampleCount => _count;

    /// <summary>The samples of the query.</summary>
    public ReadOnlySpan<QuerySample> Samples => _samples.AsSpan(0, _count);

    /// <summary>The samples of the query, for code that must hold them across an await.</summary>
    public ReadOnlyMemory<QuerySample> SampleMemory => _samples.AsMemory(0, _count);

    /// <summary>Refills this query in place so the pooled object can be issued again.</summary>
    internal void Reset(long id, int sampleCount, long firstSampleId, Random indexSource, int librarySize)
    {
        Id = id;
        _count = sampleCount;
        for (var i = 0; i < sampleCount; i++)
        {
            _samples[i] = new QuerySample(firstSampleId + i, indexSource.Next(librarySize));
        }
    }

    /// <summary>Fills the query for tests and adapters that build queries themselves.</summary>
    /// <param name="id">The query id.</param>
    /// <param name="samples">The samples; at most the capacity given at construction.</param>
    public void Set(long id, ReadOnlySpan<QuerySample> samples)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(samples.Length, _samples.Length);
        Id = id;
        samples.CopyTo(_samples);
        _count = samples.Length;
    }
}
