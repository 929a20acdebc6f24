using Silica.Benchmarking.Inference;
using Silica.Benchmarking.SystemsUnderTest;
using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Tensors;

namespace Silica.Benchmarking.Remote;

/// <summary>
/// A model on an Open Inference Protocol v2 server as the load generator sees it: each query is one inference
/// request of <c>SampleCount</c> rows. Inputs are synthesized once per batch size from the server's model metadata
/// (seeded, in model-plausible ranges) and encoded once, so the measured path only sends bytes and reads the answer.
/// A request the server refuses completes as a failed query; nothing is retried.
/// </summary>
public sealed class RemoteSystemUnderTest : ISystemUnderTest, IDisposable
{
    private readonly IInferenceTransport _transport;
    private readonly IReadOnlyDictionary<string, long> _bindings;
    private readonly int _seed;
    private readonly Dictionary<int, object> _prepared = [];

    private RemoteSystemUnderTest(IInferenceTransport transport, RemoteModelMetadata model, IReadOnlyDictionary<string, long> bindings, int seed)
    {
        _transport = transport;
        Model = model;
        _bindings = bindings;
        _seed = seed;
    }

    /// <summary>The model as the server describes it.</summary>
    public RemoteModelMetadata Model { get; }

    /// <summary>Connects to the server and fetches the model's metadata.</summary>
    /// <param name="target">The server, model and protocol.</param>
    /// <param name="bindings">Sizes for variable dimensions other than the leading (batch) one.</param>
    /// <param name="seed">Seed for the synthetic inputs.</param>
    /// <param name="cancellationToken">Stops the metadata request.</param>
    /// <exception cref="RemoteInferenceException">The server is unreachable, does not know the model, or answered with an error.</exception>
    public static async Task<RemoteSystemUnderTest> ConnectAsync(RemoteTarget target, IReadOnlyDictionary<string, long> bindings, int seed,
        CancellationToken cancellationToken)
    {
        target.Validate();
        var transport = target.CreateTransport();
        try
        {
            var model = await transport.GetMetadataAsync(cancellationToken).ConfigureAwait(false);
            return new RemoteSystemUnderTest(transport, model, bindings, seed);
        }
        catch (HttpRequestException e)
        {
            transport.Dispose();
            throw new RemoteInferenceException($"cannot reach {target.Url}: {e.Message}", e);
        }
        catch
        {
            transport.Dispose();
            throw;
        }
    }

    /// <summary>Encodes the request for queries of <paramref name="rows"/> samples and sends it once (so errors surface before timing).</summary>
    public async Task PrepareAsync(int rows, CancellationToken cancellationToken)
    {
        if (!_prepared.TryGetValue(rows, out var prepared))
        {
            var infos = Model.Inputs.Select(i => ToInfo(i, rows)).ToArray();
            var tensors = SyntheticInputs.Create(infos, rows, _bindings, _seed);
            try
            {
                prepared = _transport.Prepare(Model.Inputs, tensors);
            }
            finally
            {
                foreach (var t in tensors)
                {
                    t.Dispose();
                }
            }
            _prepared[rows] = prepared;
        }
        await _transport.InferAsync(prepared, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask IssueAsync(Query query, CancellationToken cancellationToken) =>
        _transport.InferAsync(_prepared[query.SampleCount], cancellationToken);

    /// <inheritdoc/>
    public void Dispose() => _transport.Dispose();

    private TensorInfo ToInfo(RemoteTensorMetadata input, int rows)
    {
        var type = OipDatatypes.ParseDense(input.Datatype)
            ?? throw new RemoteInferenceException($"the server reports datatype '{input.Datatype}', which the bench client cannot synthesize");
        var dims = new Dim[input.Shape.Length];
        for (var d = 0; d < dims.Length; d++)
        {
            var size = input.Shape[d];
            if (d == 0 && size >= 0 && size != rows)
            {
                throw new ArgumentException($"input '{input.Name}' has a fixed leading dimension {size}; bench it with --batch {size}");
            }
            // Metadata has no symbol names: the leading variable dimension is the batch, and the others take the
            // one size given with --bind (whatever its name), so '--bind seq=128' works for a [-1,-1] input.
            dims[d] = size >= 0 ? Dim.Of(size)
                : d == 0 ? Dim.Named("batch")
                : _bindings.Count == 1 ? Dim.Named(_bindings.Keys.First())
                : Dim.Unknown;
        }
        return new TensorInfo(input.Name, type, new TensorShape(dims));
    }
}
