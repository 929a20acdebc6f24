namespace Silica.Serving.Repository;

/// <summary>A model's <c>config.json</c> is malformed or contradicts the model. The message names the field.</summary>
public sealed class ModelConfigException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ModelConfigException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its cause.</summary>
    public ModelConfigException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception without details.</summary>
    public ModelConfigException()
        : this("invalid model configuration")
    {
    }
}
