using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Runtime.Batching;

/// <summary>
/// One session instance and its reusable batch buffers. Staging tensors grow to the largest batch seen and
/// are then only reshaped, so the backend sees the same few buffers (and caches their bindings).
/// </summary>
internal sealed class BatchWorker : IDisposable
{
    private readonly ITimer _delayTimer;

    public BatchWorker(ISession session, int maxBatchSize, TimeProvider time)
    {
        Session = session;
        Batch = new PendingRequest[maxBatchSize];
        InputTensors = new Tensor[session.Inputs.Count];
        OutputTensors = new Tensor[session.Outputs.Count];
        // A request has at least one row, so a batch holds at most maxBatchSize requests.
        _delayTimer = time.CreateTimer(static s => ((AsyncSignal)s!).Set(), Signal, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public ISession Session { get; }

    public AsyncSignal Signal { get; } = new();

    public PendingRequest[] Batch { get; }

    public Tensor[] InputTensors { get; }

    public Tensor[] OutputTensors { get; }

    public Task Loop { get; set; } = Task.CompletedTask;

    /// <summary>The worker is parked on <see cref="Signal"/>; read and written under the queue lock.</summary>
    public bool IsWaiting { get; set; }

    /// <summary>A caller has claimed this parked worker to run one batch on its own thread; under the queue lock.</summary>
    public bool RunningInline { get; set; }

    /// <summary>Wakes the worker after <paramref name="delay"/> (to dispatch a batch whose delay ran out).</summary>
    public void WakeAfter(TimeSpan delay) => _delayTimer.Change(delay, Timeout.InfiniteTimeSpan);

    /// <summary>The staging tensor for input or output <paramref name="index"/>, reshaped to <paramref name="shape"/>.</summary>
    public static Tensor Stage(Tensor[] tensors, int index, TensorInfo info, ReadOnlySpan<long> shape)
    {
        var t = tensors[index];
        var bytes = info.ElementType.ByteCount(ShapeProduct(shape));
        if (t is null || t.Capacity < bytes)
        {
            t?.Dispose();
            t = Tensor.Allocate(info.ElementType, shape);
            tensors[index] = t;
            return t;
        }
        t.Reshape(shape);
        return t;
    }

    public void Dispose()
    {
        _delayTimer.Dispose();
        foreach (var t in InputTensors)
        {
            t?.Dispose();
        }
        foreach (var t in OutputTensors)
        {
            t?.Dispose();
        }
        Session.Dispose();
    }

    private static long ShapeProduct(ReadOnlySpan<long> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            n = checked(n * d);
        }
        return n;
    }
}
