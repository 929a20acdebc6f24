namespace Silica.Prediction.Serving;

/// <summary>
/// The dynamic batcher being simulated: the same knobs as Silica.Runtime's <c>BatcherOptions</c>, plus the
/// rows every request carries. A free server takes the longest FIFO prefix of the queue that fits
/// <see cref="MaxBatchSize"/>; it runs it at once when the batch is full (the next request would not fit, or it
/// reached the largest preferred size), or when the oldest request has waited <see cref="MaxQueueDelay"/>.
/// </summary>
public sealed record BatcherPolicy
{
    /// <summary>Most rows one batch may hold.</summary>
    public int MaxBatchSize { get; init; } = 8;

    /// <summary>How long the oldest queued request may wait for others to join its batch.</summary>
    public TimeSpan MaxQueueDelay { get; init; }

    /// <summary>Model instances running batches in parallel (the batcher's <c>InstanceCount</c>).</summary>
    public int Servers { get; init; } = 1;

    /// <summary>Rows in every request.</summary>
    public int RowsPerRequest { get; init; } = 1;

    /// <summary>
    /// Batch sizes the model runs best at: a batch is full at the largest, and a smaller batch runs padded up to
    /// the next one (and takes that size's service time). Empty: batches run at their exact size.
    /// </summary>
    public IReadOnlyList<int> PreferredBatchSizes { get; init; } = [];

    /// <summary>Most requests waiting at once; an arrival that finds the queue full is rejected.</summary>
    public int MaxQueueSize { get; init; } = 1024;

    /// <summary>A request still queued after this long is rejected and never runs; <see cref="Timeout.InfiniteTimeSpan"/> disables it.</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Checks the values are usable together.</summary>
    /// <exception cref="ArgumentException">A value is out of range (the message is one line naming it).</exception>
    public void Validate()
    {
        if (MaxBatchSize < 1)
        {
            throw new ArgumentException($"MaxBatchSize must be at least 1 (is {MaxBatchSize})");
        }
        if (Servers < 1)
        {
            throw new ArgumentException($"Servers must be at least 1 (is {Servers})");
        }
        if (RowsPerRequest < 1 || RowsPerRequest > MaxBatchSize)
        {
            throw new ArgumentException($"RowsPerRequest must be between 1 and MaxBatchSize ({MaxBatchSize}) (is {RowsPerRequest})");
        }
        if (MaxQueueSize < 1)
        {
            throw new ArgumentException($"MaxQueueSize must be at least 1 (is {MaxQueueSize})");
        }
        if (MaxQueueDelay < TimeSpan.Zero)
        {
            throw new ArgumentException($"MaxQueueDelay must not be negative (is {MaxQueueDelay})");
        }
        if (QueueTimeout <= TimeSpan.Zero && QueueTimeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"QueueTimeout must be positive or infinite (is {QueueTimeout})");
        }
        ArgumentNullException.ThrowIfNull(PreferredBatchSizes);
        foreach (var size in PreferredBatchSizes)
        {
            if (size < 1 || size > MaxBatchSize)
            {
                throw new ArgumentException($"preferred batch size {size} must be between 1 and MaxBatchSize ({MaxBatchSize})");
            }
        }
    }

    /// <summary>The rows a batch of <paramref name="rows"/> rows runs with: the next preferred size, or its own size.</summary>
    /// <param name="rows">Rows taken from the queue.</param>
    /// <returns>The padded size.</returns>
    public int PaddedSize(int rows)
    {
        var best = int.MaxValue;
        foreach (var p in PreferredBatchSizes)
        {
            if (p >= rows && p < best)
            {
                best = p;
            }
        }
        return best == int.MaxValue ? rows : best;
    }

    /// <summary>Rows at which a batch counts as full: the largest preferred size, else <see cref="MaxBatchSize"/>.</summary>
    public int TargetRows => PreferredBatchSizes.Count > 0 ? PreferredBatchSizes.Max() : MaxBatchSize;
}
