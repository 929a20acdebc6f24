namespace Silica.Onnx.Serialization;

/// <summary>Options for writing ONNX models.</summary>
public sealed record OnnxWriteOptions
{
    /// <summary>
    /// When set, initializers of at least <see cref="ExternalDataThreshold"/> bytes are written to this file
    /// (a plain file name, placed beside the model) and referenced from the model.
    /// </summary>
    public string? ExternalDataFileName { get; init; }

    /// <summary>Smallest tensor, in bytes, moved to the external data file.</summary>
    public long ExternalDataThreshold { get; init; } = 1024;

    /// <summary>Also declare the inferred type of every intermediate value in <c>value_info</c>.</summary>
    public bool IncludeInferredTypes { get; init; }
}
