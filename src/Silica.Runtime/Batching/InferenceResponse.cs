using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Runtime.Batching;

/// <summary>
/// One request's outputs: exactly its own rows of each model output. The tensors live in pooled memory;
/// dispose the response to return it.
/// </summary>
public sealed class InferenceResponse : IDisposable
{
    private readonly Tensor[] _outputs;
    private readonly IReadOnlyList<TensorInfo> _infos;

    internal InferenceResponse(IReadOnlyList<TensorInfo> infos, Tensor[] outputs, int batchSize, TimeSpan queueTime)
    {
        _infos = infos;
        _outputs = outputs;
        BatchSize = batchSize;
        QueueTime = queueTime;
    }

    /// <summary>The outputs, in the session's output order.</summary>
    public IReadOnlyList<Tensor> Outputs => _outputs;

    /// <summary>The output called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The model has no such output.</exception>
    public Tensor this[string name]
    {
        get
        {
            for (var i = 0; i < _infos.Count; i++)
            {
                if (_infos[i].Name == name)
                {
                    return _outputs[i];
                }
            }
            throw new KeyNotFoundException($"the model has no output '{name}'");
        }
    }

    /// <summary>Rows of the batch this request ran in, padding included.</summary>
    public int BatchSize { get; }

    /// <summary>Time from enqueue to the start of the batch.</summary>
    public TimeSpan QueueTime { get; }

    /// <summary>Returns the output memory to the pool.</summary>
    public void Dispose()
    {
        foreach (var t in _outputs)
        {
            t.Dispose();
        }
    }
}
