using System.Runtime.InteropServices;
using Silica.Onnx.Building;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Runtime.Backends;
using Silica.Runtime.Batching;
using Silica.Runtime.Tensors;
using Silica.Serving.Core;
using Silica.Serving.Http;

namespace Silica.Serving.Tests.Http;

/// <summary>
/// A small real <see cref="IInferenceServer"/> for the REST tests: one model, <c>mlp</c> version 1
/// (<c>y = Relu(x·W + b)</c>, x: FP32[batch,16], y: FP32[batch,8]), run by ONNX Runtime behind the real
/// <see cref="DynamicBatcher"/>, whose validation answers shape, type and batch errors. Not a canned answer.
/// </summary>
internal sealed class CpuTestServer : IInferenceServer, IMetricsRenderer, IAsyncDisposable
{
    public const string Model = "mlp";
    public const int In = 16;
    public const int Out = 8;

    private readonly DynamicBatcher _batcher;
    private long _requests;
    private volatile bool _loaded = true;

    public CpuTestServer(BatcherOptions? options = null, OnnxModel? model = null)
    {
        OnnxModel = model ?? BuildMlp();
        _batcher = new DynamicBatcher(() => BackendRegistry.Default.Get("cpu").CreateSession(OnnxModel),
            options ?? new BatcherOptions { MaxBatchSize = 4, MaxQueueDelay = TimeSpan.Zero });
    }

    public OnnxModel OnnxModel { get; }

    public bool IsLive => true;

    public bool IsReady { get; set; } = true;

    public ServerMetadata Metadata { get; } = new("silica-test", "0.1.0", ["binary_tensor_data", "statistics", "model_repository"]);

    /// <summary>Runs the model in-process, without the server: the reference REST answers must equal bit for bit.</summary>
    public float[] Reference(float[] x, int rows) => Run(OnnxModel, x, rows);

    /// <summary>Runs <paramref name="model"/> once in-process on x: FP32[rows, 16].</summary>
    public static float[] Run(OnnxModel model, float[] x, int rows)
    {
        using var session = BackendRegistry.Default.Get("cpu").CreateSession(model);
        using var input = Tensor.FromArray(x, [rows, In]);
        using var output = Tensor.Allocate(TensorDataType.Float, [rows, Out]);
        session.Run([input], [output]);
        return output.AsFloats().ToArray();
    }

    public bool IsModelReady(string model, string? version)
    {
        Find(model, version);
        return _loaded;
    }

    public ModelMetadata GetModelMetadata(string model, string? version)
    {
        Find(model, version);
        return new ModelMetadata(Model, ["1"], "onnxruntime_onnx", [new("x", "FP32", [-1, In])], [new("y", "FP32", [-1, Out])]);
    }

    public async ValueTask<InferenceResult> InferAsync(InferenceRequest request, CancellationToken cancellationToken)
    {
        Find(request.Model, request.Version);
        if (!_loaded)
        {
            throw new ModelNotReadyException($"model '{Model}' is not loaded");
        }
        var names = request.Inputs.Select(i => i.Name).ToList();
        if (names.Count != 1 || names[0] != "x")
        {
            throw new InvalidRequestException($"model '{Model}' takes inputs [x]; the request has [{string.Join(", ", names)}]");
        }
        foreach (var o in request.Outputs ?? [])
        {
            if (o.Name != "y")
            {
                throw new InvalidRequestException($"model '{Model}' has no output '{o.Name}' (outputs: [y])");
            }
        }
        var x = request.Inputs[0];
        using var tensor = Tensor.FromMemory(x.ElementType, MemoryMarshal.AsMemory(x.Data), x.Shape);
        Interlocked.Increment(ref _requests);
        InferenceResponse response;
        try
        {
            response = await _batcher.InferAsync([tensor], cancellationToken);
        }
        catch (InvalidInputException e)
        {
            throw new InvalidRequestException(e.Message);
        }
        using (response)
        {
            var y = response.Outputs[0];
            return new InferenceResult(Model, "1", request.Id, [new NamedTensor("y", y.ElementType, y.Shape.ToArray(), y.Bytes.ToArray())]);
        }
    }

    public IReadOnlyList<ModelIndexEntry> Index(bool readyOnly) =>
        readyOnly && !_loaded ? [] : [new ModelIndexEntry(Model, "1", _loaded ? ModelState.Ready : ModelState.Unavailable, null)];

    public Task LoadAsync(string model, CancellationToken cancellationToken)
    {
        Find(model, null);
        _loaded = true;
        return Task.CompletedTask;
    }

    public Task UnloadAsync(string model, CancellationToken cancellationToken)
    {
        Find(model, null);
        _loaded = false;
        return Task.CompletedTask;
    }

    public IReadOnlyList<ModelStatistics> Statistics(string? model, string? version)
    {
        if (model is not null)
        {
            Find(model, version);
        }
        var n = Interlocked.Read(ref _requests);
        return [new ModelStatistics(Model, "1", 0, n, n, n, 1000 * n, 0, 0, n, 10 * n, n, 500 * n)];
    }

    public string RenderPrometheus() => $"silica_test_requests_total {Interlocked.Read(ref _requests)}\n";

    public ValueTask DisposeAsync() => _batcher.DisposeAsync();

    /// <summary><c>y = Relu(x·W + b)</c> with fixed seeded weights.</summary>
    public static OnnxModel BuildMlp(int inFeatures = In, int outFeatures = Out)
    {
        var g = new GraphBuilder("mlp", opset: 17, seed: 7);
        var x = g.Input("x", TensorDataType.Float, "batch", inFeatures);
        var w = g.Weight("w", [inFeatures, outFeatures]);
        var b = g.Weight("b", [outFeatures], WeightFill.Small);
        var y = g.Node("Relu", [g.Node("Add", [g.Node("MatMul", [x, w]), b])]);
        g.Output(y, "y", new TensorType(TensorDataType.Float, new TensorShape("batch", outFeatures)));
        return g.Build();
    }

    private static void Find(string model, string? version)
    {
        if (model != Model)
        {
            throw new ModelNotFoundException($"unknown model '{model}'");
        }
        if (version is not null && version != "1")
        {
            throw new ModelNotFoundException($"model '{model}' has no version '{version}'");
        }
    }
}
