namespace Silica.Runtime.Batching;

/// <summary>The bounded FIFO queue: an intrusive doubly linked list under one lock (O(1) removal on cancel).</summary>
public sealed partial class DynamicBatcher
{
    private readonly Lock _lock = new();
    private readonly ITimer? _expiryTimer;
    private PendingRequest? _head;
    private PendingRequest? _tail;
    private int _queuedCount;
    private int _queuedRows;
    private bool _stopping;

    private ValueTask<InferenceResponse> Enqueue(PendingRequest request)
    {
        Exception? refusal = null;
        BatchWorker? inline = null;
        lock (_lock)
        {
            if (request.CancelRequested)
            {
                refusal = new OperationCanceledException(request.Token);
                Interlocked.Increment(ref _canceled);
            }
            else if (_stopping)
            {
                refusal = new ObjectDisposedException(nameof(DynamicBatcher), "the batcher is shutting down");
            }
            else if (_queuedCount >= _options.MaxQueueSize)
            {
                refusal = new QueueFullException(_queuedCount, RetryAfter());
                Interlocked.Increment(ref _rejectedFull);
            }
            else if (TryClaimIdleWorker(request) is { } idle)
            {
                inline = idle;
            }
            else
            {
                request.State = RequestState.Queued;
                request.Previous = _tail;
                if (_tail is null)
                {
                    _head = request;
                    ArmExpiry();
                }
                else
                {
                    _tail.Next = request;
                }
                _tail = request;
                _queuedCount++;
                _queuedRows += request.Rows;
                WakeOneWorker();
                return request.Task;
            }
        }
        if (inline is not null)
        {
            RunInline(inline);
            return request.Task;
        }
        request.Registration.Dispose();
        request.Recycle();
        return ValueTask.FromException<InferenceResponse>(refusal!);
    }

    /// <summary>
    /// When the queue is empty, the request would dispatch at once (its batch is already full, or there is no
    /// batching delay) and a worker is parked, claims that worker so the caller runs the batch on its own thread:
    /// two thread hops and a signal round trip less per request. Called under the lock.
    /// </summary>
    private BatchWorker? TryClaimIdleWorker(PendingRequest request)
    {
        if (_head is not null || (request.Rows < _targetRows && _options.MaxQueueDelay > TimeSpan.Zero))
        {
            return null;
        }
        foreach (var w in _workers)
        {
            if (w.IsWaiting)
            {
                w.IsWaiting = false;
                w.RunningInline = true;
                request.State = RequestState.Taken;
                w.Batch[0] = request;
                return w;
            }
        }
        return null;
    }

    /// <summary>Runs the claimed worker's one-request batch on the calling thread, then parks the worker again.</summary>
    private void RunInline(BatchWorker worker)
    {
        try
        {
            Execute(worker, 1);
        }
        finally
        {
            lock (_lock)
            {
                worker.RunningInline = false;
                worker.IsWaiting = true;
                // Work queued (or a stop began) while the worker was lent out: its loop takes over from here.
                if (_head is not null || _stopping)
                {
                    worker.IsWaiting = false;
                    worker.Signal.Set();
                }
            }
        }
    }

    private void OnCanceled(PendingRequest request)
    {
        lock (_lock)
        {
            if (request.State == RequestState.Pending)
            {
                request.CancelRequested = true;
                return;
            }
            if (request.State != RequestState.Queued)
            {
                return;
            }
            var wasHead = request == _head;
            Unlink(request);
            request.State = RequestState.Canceled;
            if (wasHead)
            {
                ArmExpiry();
            }
        }
        Interlocked.Increment(ref _canceled);
        // Running inside the registration's own callback: no registration to dispose (and Dispose would be a no-op).
        request.Fail(new OperationCanceledException(request.Token));
    }

    private void OnExpiryTimer()
    {
        PendingRequest? expired;
        lock (_lock)
        {
            expired = TakeExpired(_time.GetTimestamp());
            ArmExpiry();
        }
        FailExpired(expired);
    }

    /// <summary>
    /// Takes the next batch for <paramref name="worker"/> into its batch array, or says how long to wait.
    /// Called under the lock. Expired requests are unlinked into <paramref name="expired"/>.
    /// </summary>
    private int TryTakeBatch(BatchWorker worker, out TimeSpan wait, out PendingRequest? expired)
    {
        wait = Timeout.InfiniteTimeSpan;
        var now = _time.GetTimestamp();
        expired = TakeExpired(now);
        if (_head is null)
        {
            return 0;
        }
        var rows = 0;
        var count = 0;
        var full = false;
        for (var r = _head; r is not null; r = r.Next)
        {
            if (rows + r.Rows > _options.MaxBatchSize || (count > 0 && !RequestValidation.SameRowShapes(_head, r)))
            {
                full = true;
                break;
            }
            rows += r.Rows;
            count++;
        }
        full |= rows >= _targetRows;
        var age = _time.GetElapsedTime(_head.EnqueuedAt, now);
        if (!full && !_stopping && age < _options.MaxQueueDelay)
        {
            wait = _options.MaxQueueDelay - age;
            return 0;
        }
        for (var i = 0; i < count; i++)
        {
            var r = _head!;
            Unlink(r);
            r.State = RequestState.Taken;
            worker.Batch[i] = r;
        }
        ArmExpiry();
        if (_head is not null)
        {
            WakeOneWorker();
        }
        return count;
    }

    private PendingRequest? TakeExpired(long now)
    {
        if (_expiryTimer is null)
        {
            return null;
        }
        PendingRequest? chain = null;
        // FIFO: the head is the oldest, so expired requests form a prefix.
        while (_head is { } r && _time.GetElapsedTime(r.EnqueuedAt, now) >= _options.QueueTimeout)
        {
            Unlink(r);
            r.State = RequestState.Expired;
            r.Next = chain;
            chain = r;
        }
        return chain;
    }

    private void FailExpired(PendingRequest? chain)
    {
        var now = _time.GetTimestamp();
        while (chain is not null)
        {
            var next = chain.Next;
            chain.Registration.Dispose();
            Interlocked.Increment(ref _rejectedTimeout);
            chain.Fail(new QueueTimeoutException(_time.GetElapsedTime(chain.EnqueuedAt, now), _options.QueueTimeout));
            chain = next;
        }
    }

    private void Unlink(PendingRequest r)
    {
        if (r.Previous is null)
        {
            _head = r.Next;
        }
        else
        {
            r.Previous.Next = r.Next;
        }
        if (r.Next is null)
        {
            _tail = r.Previous;
        }
        else
        {
            r.Next.Previous = r.Previous;
        }
        r.Previous = null;
        r.Next = null;
        _queuedCount--;
        _queuedRows -= r.Rows;
    }

    /// <summary>Points the expiry timer at the head's deadline (the earliest in a FIFO queue).</summary>
    private void ArmExpiry()
    {
        if (_expiryTimer is null)
        {
            return;
        }
        if (_head is null)
        {
            _expiryTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var due = _options.QueueTimeout - _time.GetElapsedTime(_head.EnqueuedAt);
        _expiryTimer.Change(due > TimeSpan.Zero ? due : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void WakeOneWorker()
    {
        foreach (var w in _workers)
        {
            if (w.IsWaiting)
            {
                w.IsWaiting = false;
                w.Signal.Set();
                return;
            }
        }
    }

    private TimeSpan RetryAfter()
    {
        // Batches ahead of a new request, spread over the instances, at the recent batch duration.
        var batchesAhead = Math.Ceiling((double)_queuedRows / _options.MaxBatchSize / _workers.Length);
        var batchTicks = Math.Max(Volatile.Read(ref _batchTicksEwma), TimeSpan.TicksPerMillisecond);
        var ticks = (batchesAhead * batchTicks) + _options.MaxQueueDelay.Ticks;
        return TimeSpan.FromTicks((long)Math.Min(ticks, TimeSpan.FromMinutes(1).Ticks));
    }
}
