using Silica.Runtime.Tensors;

namespace Silica.Benchmarking.Remote;

/// <summary>One protocol's way to ask for metadata and to send a prepared inference request.</summary>
internal interface IInferenceTransport : IDisposable
{
    /// <summary>Fetches the model's metadata.</summary>
    Task<RemoteModelMetadata> GetMetadataAsync(CancellationToken cancellationToken);

    /// <summary>Encodes a request once, so the measured path only sends it.</summary>
    object Prepare(IReadOnlyList<RemoteTensorMetadata> inputs, IReadOnlyList<Tensor> tensors);

    /// <summary>Sends a prepared request and reads the whole response; throws <see cref="RemoteInferenceException"/> on an error status.</summary>
    ValueTask InferAsync(object prepared, CancellationToken cancellationToken);
}
