namespace Silica.Benchmarking.Remote;

/// <summary>How requests reach an Open Inference Protocol v2 server.</summary>
public enum RemoteProtocol
{
    /// <summary>HTTP/1.1, JSON tensors (<c>POST /v2/models/{m}/infer</c>).</summary>
    Json,

    /// <summary>HTTP/1.1, the binary tensor extension (JSON header plus raw bytes, <c>Inference-Header-Content-Length</c>).</summary>
    Binary,

    /// <summary>gRPC over HTTP/2 (<c>inference.GRPCInferenceService/ModelInfer</c>) with raw contents.</summary>
    Grpc,
}
