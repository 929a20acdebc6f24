namespace Silica.Runtime.Batching;

/// <summary>The batcher's queue was full; nothing was queued. Retry after <see cref="RetryAfter"/> (a server answers 429).</summary>
public sealed class QueueFullException : Exception
{
    /// <summary>Creates the exception.</summary>
    public QueueFullException(int queueSize, TimeSpan retryAfter)
        : base($"the queue is full ({queueSize} requests waiting); retry after {retryAfter.TotalMilliseconds:0} ms")
    {
        QueueSize = queueSize;
        RetryAfter = retryAfter;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public QueueFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public QueueFullException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception without details.</summary>
    public QueueFullException()
        : this("the queue is full")
    {
    }

    /// <summary>Requests waiting when this one was refused.</summary>
    public int QueueSize { get; }

    /// <summary>An estimate of when the queue will have drained enough to admit a request.</summary>
    public TimeSpan RetryAfter { get; }
}

/// <summary>A request waited in the queue longer than its timeout and was dropped without running.</summary>
public sealed class QueueTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public QueueTimeoutException(TimeSpan waited, TimeSpan timeout)
        : base($"the request waited {waited.TotalMilliseconds:0} ms in the queue, over the {timeout.TotalMilliseconds:0} ms limit; it was not run")
    {
        Waited = waited;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public QueueTimeoutException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public QueueTimeoutException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception without details.</summary>
    public QueueTimeoutException()
        : this("the request timed out in the queue")
    {
    }

    /// <summary>How long the request had waited.</summary>
    public TimeSpan Waited { get; }
}
