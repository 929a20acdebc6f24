using Silica.Onnx.Model;

namespace Silica.Serving.Core;

// The protocol-neutral contract between the model server (repository, batchers, statistics) and the protocol
// front ends (REST and gRPC per the Open Inference Protocol v2). Front ends translate wire formats to these types and
// the exceptions below to status codes; nothing here knows HTTP or gRPC.

/// <summary>A tensor by name: element type, shape, and its raw little-endian bytes (dense, row-major).</summary>
public sealed record NamedTensor(string Name, TensorDataType ElementType, long[] Shape, ReadOnlyMemory<byte> Data);

/// <summary>An output the client asked for; <see cref="Binary"/> asks the binary extension to carry it.</summary>
public sealed record RequestedOutput(string Name, bool Binary = false);

/// <summary>One inference request, already decoded from the wire.</summary>
/// <param name="Model">The model name (validated by the server before any lookup).</param>
/// <param name="Version">A version, or null for the model's newest ready version.</param>
/// <param name="Id">The client's request id, echoed back and put on the trace.</param>
/// <param name="Inputs">The inputs.</param>
/// <param name="Outputs">The outputs to return; null or empty for all.</param>
public sealed record InferenceRequest(string Model, string? Version, string? Id, IReadOnlyList<NamedTensor> Inputs, IReadOnlyList<RequestedOutput>? Outputs = null);

/// <summary>The outputs of one request, and which version ran it.</summary>
public sealed record InferenceResult(string Model, string Version, string? Id, IReadOnlyList<NamedTensor> Outputs);

/// <summary>An input or output as metadata reports it: OIP datatype names (FP32, INT64, …), -1 for a dynamic dimension.</summary>
public sealed record TensorMetadata(string Name, string Datatype, long[] Shape);

/// <summary>What GET /v2/models/{m}[/versions/{v}] returns.</summary>
public sealed record ModelMetadata(string Name, IReadOnlyList<string> Versions, string Platform, IReadOnlyList<TensorMetadata> Inputs, IReadOnlyList<TensorMetadata> Outputs);

/// <summary>What GET /v2 returns.</summary>
public sealed record ServerMetadata(string Name, string Version, IReadOnlyList<string> Extensions);

/// <summary>The state of one model version in the repository index.</summary>
public enum ModelState
{
    /// <summary>Known in the repository, not loaded.</summary>
    Unavailable,

    /// <summary>Being loaded (probed, planned, warmed up).</summary>
    Loading,

    /// <summary>Serving.</summary>
    Ready,

    /// <summary>Draining in-flight requests before release.</summary>
    Unloading,

    /// <summary>The last load failed; <see cref="ModelIndexEntry.Reason"/> says why.</summary>
    Failed,
}

/// <summary>One row of POST /v2/repository/index.</summary>
public sealed record ModelIndexEntry(string Name, string Version, ModelState State, string? Reason);

/// <summary>Per model version counters (GET /v2/models/{m}/stats); durations are cumulative nanoseconds.</summary>
public sealed record ModelStatistics(string Name, string Version, long LastInferenceUnixMs, long InferenceCount, long ExecutionCount,
    long SuccessCount, long SuccessNs, long FailureCount, long FailureNs, long QueueCount, long QueueNs, long ComputeCount, long ComputeNs);

/// <summary>The server the front ends talk to.</summary>
public interface IInferenceServer
{
    /// <summary>The process is up (liveness).</summary>
    bool IsLive { get; }

    /// <summary>Every model the server was started with is ready and the server is not shutting down (readiness).</summary>
    bool IsReady { get; }

    /// <summary>Name, version and the protocol extensions served.</summary>
    ServerMetadata Metadata { get; }

    /// <summary>Whether that model (version) is ready to serve. Throws <see cref="ModelNotFoundException"/> for an unknown one.</summary>
    bool IsModelReady(string model, string? version);

    /// <summary>Throws <see cref="ModelNotFoundException"/> for an unknown model or version.</summary>
    ModelMetadata GetModelMetadata(string model, string? version);

    /// <summary>
    /// Validates the request completely (names, datatypes, full shapes, byte sizes, batch limit; checked arithmetic)
    /// before it joins a batch, then runs it. Throws <see cref="ModelNotFoundException"/>, <see cref="ModelNotReadyException"/>,
    /// <see cref="InvalidRequestException"/>, Silica.Runtime's <c>QueueFullException</c> / <c>QueueTimeoutException</c>,
    /// or <see cref="OperationCanceledException"/> when <paramref name="cancellationToken"/> fires (the request then
    /// leaves the queue).
    /// </summary>
    ValueTask<InferenceResult> InferAsync(InferenceRequest request, CancellationToken cancellationToken);

    /// <summary>Every model version in the repository with its state (only ready ones when asked).</summary>
    IReadOnlyList<ModelIndexEntry> Index(bool readyOnly);

    /// <summary>Loads (or reloads, swapping atomically) a model from the repository. Throws <see cref="ModelNotFoundException"/>, <see cref="InvalidRequestException"/>.</summary>
    Task LoadAsync(string model, CancellationToken cancellationToken);

    /// <summary>Unloads a model; in-flight requests finish on it, new ones get <see cref="ModelNotReadyException"/>.</summary>
    Task UnloadAsync(string model, CancellationToken cancellationToken);

    /// <summary>Statistics of every version of a model, or of every model when <paramref name="model"/> is null.</summary>
    IReadOnlyList<ModelStatistics> Statistics(string? model, string? version);
}

/// <summary>Unknown model or version: HTTP 404, gRPC NOT_FOUND.</summary>
public sealed class ModelNotFoundException(string message) : Exception(message);

/// <summary>The model exists but is not ready (loading, failed, unloaded, or the server is draining): HTTP 503, gRPC UNAVAILABLE.</summary>
public sealed class ModelNotReadyException(string message) : Exception(message);

/// <summary>The request is malformed for this model: HTTP 400, gRPC INVALID_ARGUMENT. The message names the problem.</summary>
public sealed class InvalidRequestException(string message) : Exception(message);
