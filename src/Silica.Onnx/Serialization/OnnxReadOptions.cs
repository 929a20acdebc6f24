namespace Silica.Onnx.Serialization;

/// <summary>Options for reading ONNX models.</summary>
public sealed record OnnxReadOptions
{
    /// <summary>
    /// Read tensors stored in external data files into memory (default). When false, external tensors
    /// are still validated (path confinement, sizes) but their data is left in the files.
    /// </summary>
    public bool LoadExternalData { get; init; } = true;

    /// <summary>Largest model file accepted, in bytes (protobuf's own limit is 2 GiB).</summary>
    public long MaxModelBytes { get; init; } = int.MaxValue;

    /// <summary>Nesting depth accepted for subgraphs and nested messages.</summary>
    public int RecursionLimit { get; init; } = 100;
}
