using System.Threading.Tasks.Sources;

namespace Silica.Runtime.Batching;

/// <summary>
/// A reusable auto-reset signal a batch worker awaits: <see cref="Arm"/> under the queue lock, release the
/// lock, then await <see cref="WaitAsync"/>; a <see cref="Set"/> in between is not lost. Allocation-free.
/// </summary>
internal sealed class AsyncSignal : IValueTaskSource
{
    private ManualResetValueTaskSourceCore<bool> _core;
    private int _armed;

    public AsyncSignal() => _core.RunContinuationsAsynchronously = true;

    /// <summary>Prepares the next wait; call only after the previous wait completed.</summary>
    public void Arm()
    {
        _core.Reset();
        Volatile.Write(ref _armed, 1);
    }

    /// <summary>Wakes the waiter if armed; extra calls are ignored.</summary>
    public void Set()
    {
        if (Interlocked.Exchange(ref _armed, 0) == 1)
        {
            _core.SetResult(true);
        }
    }

    public ValueTask WaitAsync() => new(this, _core.Version);

    public void GetResult(short token) => _core.GetResult(token);

    public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

    public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _core.OnCompleted(continuation, state, token, flags);
}
