using System.Threading.Tasks.Sources;
using Silica.Runtime.Tensors;

namespace Silica.Runtime.Batching;

/// <summary>
/// A queued request: a node of the batcher's intrusive queue and the pooled source of the caller's
/// <see cref="ValueTask{TResult}"/>. Returned to the pool once the caller has read the result, so a steady
/// stream of requests allocates no queue nodes or tasks.
/// </summary>
internal sealed class PendingRequest : IValueTaskSource<InferenceResponse>
{
    private readonly DynamicBatcher _owner;
    private ManualResetValueTaskSourceCore<InferenceResponse> _core;

    public PendingRequest(DynamicBatcher owner)
    {
        _owner = owner;
        // Never run the caller's continuation on a batch worker (or inside the queue lock).
        _core.RunContinuationsAsynchronously = true;
    }

    public DynamicBatcher Owner => _owner;

    public IReadOnlyList<Tensor> Inputs { get; private set; } = [];

    public int Rows { get; private set; }

    public long EnqueuedAt { get; private set; }

    public CancellationToken Token { get; private set; }

    public CancellationTokenRegistration Registration { get; set; }

    /// <summary>Where the request is; changed only under the batcher's queue lock.</summary>
    public RequestState State { get; set; }

    /// <summary>Cancellation arrived before the request was linked into the queue.</summary>
    public bool CancelRequested { get; set; }

    public PendingRequest? Previous { get; set; }

    public PendingRequest? Next { get; set; }

    public ValueTask<InferenceResponse> Task => new(this, _core.Version);

    public void Start(IReadOnlyList<Tensor> inputs, int rows, long enqueuedAt, CancellationToken token)
    {
        Inputs = inputs;
        Rows = rows;
        EnqueuedAt = enqueuedAt;
        Token = token;
        State = RequestState.Pending;
        CancelRequested = false;
    }

    public void Complete(InferenceResponse response) => _core.SetResult(response);

    public void Fail(Exception error) => _core.SetException(error);

    public InferenceResponse GetResult(short token)
    {
        try
        {
            return _core.GetResult(token);
        }
        finally
        {
            Recycle();
        }
    }

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);

    /// <summary>Clears the request and hands it back to the batcher's pool.</summary>
    public void Recycle()
    {
        _core.Reset();
        Inputs = [];
        Token = default;
        Registration = default;
        Previous = null;
        Next = null;
        State = RequestState.Free;
        _owner.ReturnToPool(this);
    }
}

/// <summary>Lifecycle of a <see cref="PendingRequest"/>.</summary>
internal enum RequestState
{
    Free,
    Pending,
    Queued,
    Taken,
    Canceled,
    Expired,
}
