namespace Silica.Benchmarking.Remote;

/// <summary>The server refused or failed a request; the message carries its status and error text.</summary>
public sealed class RemoteInferenceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RemoteInferenceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public RemoteInferenceException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception without details.</summary>
    public RemoteInferenceException()
        : this("the server failed the request")
    {
    }
}
