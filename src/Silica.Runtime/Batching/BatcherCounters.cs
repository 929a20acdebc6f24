namespace Silica.Runtime.Batching;

/// <summary>A snapshot of a <see cref="DynamicBatcher"/>'s counters, for metrics.</summary>
public readonly record struct BatcherCounters
{
    /// <summary>Batches run (successfully or not).</summary>
    public long BatchesExecuted { get; init; }

    /// <summary>Requests that ran in a batch.</summary>
    public long RequestsExecuted { get; init; }

    /// <summary>Request rows that ran (excluding padding).</summary>
    public long RowsExecuted { get; init; }

    /// <summary>Zero rows added to reach a preferred batch size.</summary>
    public long PaddingRows { get; init; }

    /// <summary>Requests refused because the queue was full.</summary>
    public long RejectedQueueFull { get; init; }

    /// <summary>Requests dropped after waiting longer than the queue timeout.</summary>
    public long RejectedTimeout { get; init; }

    /// <summary>Requests refused by validation (type, shape, size, count).</summary>
    public long RejectedInvalid { get; init; }

    /// <summary>Requests cancelled by their caller while queued.</summary>
    public long Canceled { get; init; }

    /// <summary>Requests whose batch failed in the backend.</summary>
    public long Failed { get; init; }

    /// <summary>Requests waiting now.</summary>
    public int QueueLength { get; init; }

    /// <summary>Average request rows per batch (0 before the first batch).</summary>
    public double AverageBatchSize => BatchesExecuted == 0 ? 0 : (double)RowsExecuted / BatchesExecuted;
}
