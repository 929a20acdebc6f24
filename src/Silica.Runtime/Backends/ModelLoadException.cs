namespace Silica.Runtime.Backends;

/// <summary>A backend could not load a model. The message is one line naming the model and the cause.</summary>
public sealed class ModelLoadException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelLoadException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ModelLoadException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception without details.</summary>
    public ModelLoadException()
        : this("model could not be loaded")
    {
    }
}
