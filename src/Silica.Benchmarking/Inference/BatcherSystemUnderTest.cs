using Silica.Benchmarking.SystemsUnderTest;
using Silica.Runtime.Batching;
using Silica.Runtime.Tensors;

namespace Silica.Benchmarking.Inference;

/// <summary>
/// Sends each query to a <see cref="DynamicBatcher"/> as one request of <c>SampleCount</c> rows, so the
/// Server scenario measures what dynamic batching buys under Poisson arrivals.
/// </summary>
public sealed class BatcherSystemUnderTest : ISystemUnderTest, IDisposable
{
    private readonly DynamicBatcher _batcher;
    private readonly IReadOnlyDictionary<string, long> _bindings;
    private readonly Dictionary<int, Tensor[]> _inputs = [];

    /// <summary>Wraps a batcher; <paramref name="bindings"/> size the non-batch symbolic dimensions.</summary>
    public BatcherSystemUnderTest(DynamicBatcher batcher, IReadOnlyDictionary<string, long> bindings)
    {
        _batcher = batcher;
        _bindings = bindings;
    }

    /// <summary>Creates the request inputs for queries of <paramref name="rows"/> samples and sends one request.</summary>
    public void Prepare(int rows)
    {
        if (!_inputs.TryGetValue(rows, out var inputs))
        {
            inputs = SyntheticInputs.Create(_batcher.Inputs, rows, _bindings);
            _inputs[rows] = inputs;
        }
        using var response = _batcher.InferAsync(inputs).AsTask().GetAwaiter().GetResult();
    }

    /// <inheritdoc/>
    public async ValueTask IssueAsync(Query query, CancellationToken cancellationToken)
    {
        // Requests are read-only for the batcher (it copies rows into the batch), so queries share inputs.
        // No token: a cancelled run stops issuing, and what is in flight completes; a per-request
        // registration would cost more than the queries being measured.
        using var response = await _batcher.InferAsync(_inputs[query.SampleCount], CancellationToken.None).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var inputs in _inputs.Values)
        {
            foreach (var t in inputs)
            {
                t.Dispose();
            }
        }
        _inputs.Clear();
    }
}
