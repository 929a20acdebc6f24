using Silica.Benchmarking.SystemsUnderTest;
using Silica.Onnx.Graph;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Benchmarking.Inference;

/// <summary>
/// Runs each query as one <see cref="ISession.Run"/> over pre-allocated input and output tensors of the
/// query's batch size, on a dedicated worker thread (sessions are not required to be thread-safe).
/// The steady path allocates nothing: buffers are created once per batch size and reused.
/// </summary>
public sealed class SessionSystemUnderTest : ISystemUnderTest, IDisposable
{
    private readonly ISession _session;
    private readonly OnnxModel _graph;
    private readonly IReadOnlyDictionary<string, long> _bindings;
    private readonly Dictionary<int, (Tensor[] Inputs, Tensor[] Outputs)> _buffers = [];
    private readonly SynchronousSystemUnderTest _worker;

    /// <summary>
    /// Wraps a session; <paramref name="graph"/> (the same model, weights optional) sizes the outputs and
    /// <paramref name="bindings"/> size the non-batch symbolic dimensions of the inputs.
    /// </summary>
    public SessionSystemUnderTest(ISession session, OnnxModel graph, IReadOnlyDictionary<string, long> bindings)
    {
        _session = session;
        _graph = graph;
        _bindings = bindings;
        _worker = new SynchronousSystemUnderTest(RunQuery, workerCount: 1);
    }

    /// <summary>Allocates the buffers for a batch size and runs the model once (so shapes are checked before timing).</summary>
    public void Prepare(int batch)
    {
        var (inputs, outputs) = BuffersFor(batch);
        _session.Run(inputs, outputs);
    }

    /// <inheritdoc/>
    public ValueTask IssueAsync(Query query, CancellationToken cancellationToken) => _worker.IssueAsync(query, cancellationToken);

    /// <inheritdoc/>
    public void Dispose()
    {
        _worker.Dispose();
        foreach (var (inputs, outputs) in _buffers.Values)
        {
            foreach (var t in inputs)
            {
                t.Dispose();
            }
            foreach (var t in outputs)
            {
                t.Dispose();
            }
        }
        _buffers.Clear();
    }

    private void RunQuery(Query query, int workerIndex)
    {
        var (inputs, outputs) = BuffersFor(query.SampleCount);
        _session.Run(inputs, outputs);
    }

    private (Tensor[] Inputs, Tensor[] Outputs) BuffersFor(int batch)
    {
        if (_buffers.TryGetValue(batch, out var b))
        {
            return b;
        }
        var inputs = SyntheticInputs.Create(_session.Inputs, batch, _bindings);
        var outputs = OutputBuffers.Create(_graph, _session, inputs);
        b = (inputs, outputs);
        _buffers[batch] = b;
        return b;
    }
}
