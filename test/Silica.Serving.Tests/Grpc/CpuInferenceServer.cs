using System.Runtime.InteropServices;
using Silica.Onnx.Model;
using Silica.Onnx.Zoo;
using Silica.Runtime.Backends;
using Silica.Runtime.Batching;
using Silica.Runtime.Tensors;
using Silica.Serving.Core;

namespace Silica.Serving.Tests.Grpc;

/// <summary>
/// A small <see cref="IInferenceServer"/> over one real CPU (ONNX Runtime) session of <c>zoo:mlp</c>, standing in
/// for the model server so the protocol front ends can be tested on their own. It validates like the real one
/// (names, datatypes, full shapes, byte counts) and runs one request at a time.
/// </summary>
internal sealed class CpuInferenceServer : IInferenceServer, IDisposable
{
    public const string ModelName = "mlp";

    /// <summary>A model name whose requests always find the queue full.</summary>
    public const string FullModelName = "full";

    private readonly ISession _session;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public CpuInferenceServer()
    {
        ModelPath = ModelZoo.GetOrCreateFile(ModelName);
        _session = BackendRegistry.Default.Get("cpu").CreateSession(ModelPath, new SessionOptions { IntraOpThreads = 1, InterOpThreads = 1 });
    }

    public string ModelPath { get; }

    /// <summary>Runs before each inference, inside the session gate; tests use it to hold a request in flight.</summary>
    public Func<CancellationToken, Task>? BeforeRun { get; set; }

    public int Completed => _completed;

    private int _completed;

    public bool IsLive => true;

    public bool IsReady => true;

    public ServerMetadata Metadata { get; } = new("silica", "0.1.0", ["model_repository", "statistics"]);

    public bool IsModelReady(string model, string? version)
    {
        Find(model, version);
        return true;
    }

    public ModelMetadata GetModelMetadata(string model, string? version)
    {
        Find(model, version);
        return new ModelMetadata(ModelName, ["1"], "onnxruntime_onnx",
            [.. _session.Inputs.Select(ToMetadata)], [.. _session.Outputs.Select(ToMetadata)]);
    }

    public async ValueTask<InferenceResult> InferAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        if (request.Model == FullModelName)
        {
            throw new QueueFullException(8, TimeSpan.FromMilliseconds(250));
        }
        Find(request.Model, request.Version);
        var info = _session.Inputs[0];
        if (request.Inputs.Count != 1 || request.Inputs[0].Name != info.Name)
        {
            throw new InvalidRequestException($"expected one input '{info.Name}', got [{string.Join(", ", request.Inputs.Select(i => i.Name))}]");
        }
        var input = request.Inputs[0];
        if (input.ElementType != info.ElementType)
        {
            throw new InvalidRequestException($"input '{info.Name}' expects FP32");
        }
        if (!info.Accepts(input.Shape) || input.Shape[0] < 1)
        {
            throw new InvalidRequestException($"input '{info.Name}' expects shape {info.Shape}, got [{string.Join(',', input.Shape)}]");
        }
        var bytes = info.ElementType.ByteCount(input.Shape.Aggregate(1L, (a, d) => checked(a * d)));
        if (bytes != input.Data.Length)
        {
            throw new InvalidRequestException($"input '{info.Name}': expected {bytes} bytes, got {input.Data.Length}");
        }
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (BeforeRun is { } hook)
            {
                await hook(cancellationToken).ConfigureAwait(false);
            }
            var output = Run(input.Data, input.Shape);
            Interlocked.Increment(ref _completed);
            return new InferenceResult(ModelName, "1", request.Id, [output]);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Runs the model in-process on raw FP32 bytes: the reference the protocol's answers must equal bit for bit.</summary>
    public NamedTensor Run(ReadOnlyMemory<byte> data, long[] shape)
    {
        using var inputTensor = Tensor.FromMemory(TensorDataType.Float, MemoryMarshal.AsMemory(data), shape);
        var outInfo = _session.Outputs[0];
        long[] outShape = [shape[0], outInfo.Shape[1].KnownValue];
        using var outputTensor = Tensor.Allocate(TensorDataType.Float, outShape);
        lock (_session)
        {
            _session.Run([inputTensor], [outputTensor]);
        }
        return new NamedTensor(outInfo.Name, TensorDataType.Float, outShape, outputTensor.Bytes.ToArray());
    }

    public IReadOnlyList<ModelIndexEntry> Index(bool readyOnly) => [new(ModelName, "1", ModelState.Ready, null)];

    public Task LoadAsync(string model, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task UnloadAsync(string model, CancellationToken cancellationToken) => Task.CompletedTask;

    public IReadOnlyList<ModelStatistics> Statistics(string? model, string? version) => [];

    public void Dispose()
    {
        _session.Dispose();
        _gate.Dispose();
    }

    private static void Find(string model, string? version)
    {
        if (model != ModelName || version is not (null or "1"))
        {
            throw new ModelNotFoundException(version is null ? $"unknown model '{model}'" : $"unknown model '{model}' version '{version}'");
        }
    }

    private static TensorMetadata ToMetadata(TensorInfo t) =>
        new(t.Name, t.ElementType == TensorDataType.Float ? "FP32" : t.ElementType.DisplayName().ToUpperInvariant(),
            [.. Enumerable.Range(0, t.Shape.Rank).Select(i => t.Shape[i].Value ?? -1)]);
}
