namespace Silica.Runtime.Batching;

/// <summary>How a <see cref="DynamicBatcher"/> forms batches and bounds its queue.</summary>
public sealed record BatcherOptions
{
    /// <summary>Most rows one batch may hold; a request with more rows is rejected.</summary>
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>
    /// Batch sizes the model runs best at (e.g. sizes a backend has tuned kernels or graphs for). A batch is
    /// dispatched as soon as it reaches the largest, and a smaller batch is zero-padded up to the next preferred
    /// size. Empty: batches run at their exact size.
    /// </summary>
    public IReadOnlyList<int> PreferredBatchSizes { get; init; } = [];

    /// <summary>How long the oldest queued request may wait for others to join its batch.</summary>
    public TimeSpan MaxQueueDelay { get; init; } = TimeSpan.FromMilliseconds(1);

    /// <summary>Most requests waiting at once; past it new requests fail at once with <see cref="QueueFullException"/>.</summary>
    public int MaxQueueSize { get; init; } = 1024;

    /// <summary>
    /// A request still queued after this long is rejected with <see cref="QueueTimeoutException"/> and never runs.
    /// <see cref="Timeout.InfiniteTimeSpan"/> disables the limit.
    /// </summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Sessions running batches in parallel.</summary>
    public int InstanceCount { get; init; } = 1;

    /// <summary>Checks the values are usable together.</summary>
    /// <exception cref="ArgumentException">A value is out of range.</exception>
    public void Validate()
    {
        if (MaxBatchSize < 1)
        {
            throw new ArgumentException($"MaxBatchSize must be at least 1 (is {MaxBatchSize})");
        }
        if (MaxQueueSize < 1)
        {
            throw new ArgumentException($"MaxQueueSize must be at least 1 (is {MaxQueueSize})");
        }
        if (InstanceCount < 1)
        {
            throw new ArgumentException($"InstanceCount must be at least 1 (is {InstanceCount})");
        }
        if (MaxQueueDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"MaxQueueDelay must not be negative (is {MaxQueueDelay})");
        }
        if (QueueTimeout <= TimeSpan.Zero && QueueTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"QueueTimeout must be positive or infinite (is {QueueTimeout})");
        }
        foreach (var size in PreferredBatchSizes)
        {
            if (size < 1 || size > MaxBatchSize)
            {
                throw new ArgumentException($"preferred batch size {size} must be between 1 and MaxBatchSize ({MaxBatchSize})");
            }
        }
    }
}
