namespace Silica.Runtime.Backends;

/// <summary>
/// A caller's tensors do not match the model: wrong count, element type, rank, dimension or byte size.
/// A user mistake (a server answers 400), detected before anything runs.
/// </summary>
public sealed class InvalidInputException : ArgumentException
{
    /// <summary>Creates the exception.</summary>
    public InvalidInputException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public InvalidInputException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception without details.</summary>
    public InvalidInputException()
        : this("input does not match the model")
    {
    }
}
