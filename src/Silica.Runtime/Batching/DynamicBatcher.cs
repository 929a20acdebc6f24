using System.Collections.Concurrent;
using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Runtime.Batching;

/// <summary>
/// Groups concurrent requests into batches for a session whose inputs and outputs lead with a batch
/// dimension. Requests (each of one or more rows) are validated before they queue, concatenated along
/// dimension 0 (zero-padded to a preferred size when configured), run on one of
/// <see cref="BatcherOptions.InstanceCount"/> sessions, and the outputs are split so each caller gets exactly
/// its own rows. The queue is bounded; requests that wait too long or are cancelled while queued never run.
/// </summary>
public sealed partial class DynamicBatcher : IAsyncDisposable
{
    private readonly BatcherOptions _options;
    private readonly TimeProvider _time;
    private readonly BatchLayout _layout;
    private readonly BatchWorker[] _workers;
    private readonly ConcurrentQueue<PendingRequest> _pool = new();
    private readonly int[] _preferred;
    private readonly int _targetRows;

    /// <summary>Creates the batcher and <see cref="BatcherOptions.InstanceCount"/> sessions, which it owns and disposes.</summary>
    /// <param name="sessionFactory">Creates one session; called once per instance.</param>
    /// <param name="options">Batching and queue limits.</param>
    /// <param name="timeProvider">Clock and timers (a fake one in tests); defaults to the system clock.</param>
    /// <exception cref="ArgumentException">The options are inconsistent.</exception>
    /// <exception cref="NotSupportedException">The model's tensors do not batch along dimension 0.</exception>
    public DynamicBatcher(Func<ISession> sessionFactory, BatcherOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(sessionFactory);
        options.Validate();
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _preferred = [.. options.PreferredBatchSizes.Order()];
        _targetRows = _preferred.Length > 0 ? _preferred[^1] : options.MaxBatchSize;
        _workers = new BatchWorker[options.InstanceCount];
        try
        {
            for (var i = 0; i < _workers.Length; i++)
            {
                _workers[i] = new BatchWorker(sessionFactory(), options.MaxBatchSize, _time);
            }
            _layout = BatchLayout.For(_workers[0].Session, options.MaxBatchSize);
        }
        catch
        {
            foreach (var w in _workers)
            {
                w?.Dispose();
            }
            throw;
        }
        if (options.QueueTimeout != Timeout.InfiniteTimeSpan)
        {
            _expiryTimer = _time.CreateTimer(static s => ((DynamicBatcher)s!).OnExpiryTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
        foreach (var w in _workers)
        {
            w.Loop = Task.Run(() => WorkerLoopAsync(w));
        }
    }

    /// <summary>The inputs a request supplies, in order (leading dimension = the request's rows).</summary>
    public IReadOnlyList<TensorInfo> Inputs => _layout.Inputs;

    /// <summary>The outputs a response holds, in order.</summary>
    public IReadOnlyList<TensorInfo> Outputs => _layout.Outputs;

    /// <summary>The options in force.</summary>
    public BatcherOptions Options => _options;

    /// <summary>
    /// Queues one request and completes with its own rows of every output. The input tensors must stay
    /// unchanged until the returned task completes.
    /// </summary>
    /// <param name="inputs">One tensor per entry of <see cref="Inputs"/>, all with the same leading dimension n ≥ 1.</param>
    /// <param name="cancellationToken">Cancels the request while it is queued; a request already running completes.</param>
    /// <returns>The response; dispose it to return its memory to the pool.</returns>
    /// <exception cref="InvalidInputException">The tensors do not match the model (the task faults; nothing is queued).</exception>
    /// <exception cref="QueueFullException">The queue is full.</exception>
    /// <exception cref="QueueTimeoutException">The request waited longer than <see cref="BatcherOptions.QueueTimeout"/>.</exception>
    /// <exception cref="InferenceException">The backend failed running the batch.</exception>
    public ValueTask<InferenceResponse> InferAsync(IReadOnlyList<Tensor> inputs, CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _stopping))
        {
            return ValueTask.FromException<InferenceResponse>(new ObjectDisposedException(nameof(DynamicBatcher), "the batcher is shutting down"));
        }
        if (RequestValidation.Validate(_layout, _options.MaxBatchSize, inputs) is { } error)
        {
            Interlocked.Increment(ref _rejectedInvalid);
            return ValueTask.FromException<InferenceResponse>(error);
        }
        if (cancellationToken.IsCancellationRequested)
        {
            Interlocked.Increment(ref _canceled);
            return ValueTask.FromCanceled<InferenceResponse>(cancellationToken);
        }
        var request = _pool.TryDequeue(out var pooled) ? pooled : new PendingRequest(this);
        request.Start(inputs, (int)inputs[0].Shape[0], _time.GetTimestamp(), cancellationToken);
        if (cancellationToken.CanBeCanceled)
        {
            request.Registration = cancellationToken.UnsafeRegister(static s => ((PendingRequest)s!).Owner.OnCanceled((PendingRequest)s!), request);
        }
        return Enqueue(request);
    }

    /// <summary>A snapshot of the counters.</summary>
    public BatcherCounters Counters
    {
        get
        {
            int queued;
            lock (_lock)
            {
                queued = _queuedCount;
            }
            return new BatcherCounters
            {
                BatchesExecuted = Interlocked.Read(ref _batches),
                RequestsExecuted = Interlocked.Read(ref _requests),
                RowsExecuted = Interlocked.Read(ref _rows),
                PaddingRows = Interlocked.Read(ref _paddingRows),
                RejectedQueueFull = Interlocked.Read(ref _rejectedFull),
                RejectedTimeout = Interlocked.Read(ref _rejectedTimeout),
                RejectedInvalid = Interlocked.Read(ref _rejectedInvalid),
                Canceled = Interlocked.Read(ref _canceled),
                Failed = Interlocked.Read(ref _failed),
                QueueLength = queued,
            };
        }
    }

    /// <summary>Stops taking requests, runs those already queued, then disposes the sessions.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            if (_stopping)
            {
                return;
            }
            _stopping = true;
            foreach (var w in _workers)
            {
                w.Signal.Set();
            }
        }
        foreach (var w in _workers)
        {
            await w.Loop.ConfigureAwait(false);
        }
        _expiryTimer?.Dispose();
        foreach (var w in _workers)
        {
            w.Dispose();
        }
    }

    internal void ReturnToPool(PendingRequest request)
    {
        // Bounded so a burst does not pin memory forever.
        if (_pool.Count < _options.MaxQueueSize)
        {
            _pool.Enqueue(request);
        }
    }

    private int PaddedSize(int rows)
    {
        if (_layout.FixedBatch is { } f)
        {
            return (int)f;
        }
        foreach (var p in _preferred)
        {
            if (p >= rows)
            {
                return p;
            }
        }
        return rows;
    }
}
