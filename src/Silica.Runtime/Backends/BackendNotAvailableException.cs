namespace Silica.Runtime.Backends;

/// <summary>A backend was asked for by name but is unknown or cannot run on this machine.</summary>
public sealed class BackendNotAvailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public BackendNotAvailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public BackendNotAvailableException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception without details.</summary>
    public BackendNotAvailableException()
        : this("backend not available")
    {
    }
}
