namespace Silica.Onnx;

/// <summary>
/// Thrown when bytes or a file cannot be read as a valid ONNX model, or when a model refers to
/// something it must not (an external-data path outside its folder, a dangling value).
/// The message is one line meant for the user; it never carries a stack trace.
/// </summary>
public sealed class OnnxFormatException : Exception
{
    /// <summary>Creates the exception with a user-facing message.</summary>
    public OnnxFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a user-facing message and the underlying cause.</summary>
    public OnnxFormatException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with a generic message.</summary>
    public OnnxFormatException() : base("invalid ONNX model") { }
}
