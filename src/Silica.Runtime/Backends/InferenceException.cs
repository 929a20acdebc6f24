namespace Silica.Runtime.Backends;

/// <summary>A backend failed while running a model. The message names the model and, where known, the node.</summary>
public sealed class InferenceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InferenceException(string modelName, string? nodeName, string? opType, string message, Exception? inner = null)
        : base(message, inner)
    {
        ModelName = modelName;
        NodeName = nodeName;
        OpType = opType;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public InferenceException(string message)
        : this("", null, null, message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public InferenceException(string message, Exception inner)
        : this("", null, null, message, inner)
    {
    }

    /// <summary>Creates the exception without details.</summary>
    public InferenceException()
        : this("inference failed")
    {
    }

    /// <summary>The model that failed.</summary>
    public string ModelName { get; }

    /// <summary>The node the backend blamed, when it said.</summary>
    public string? NodeName { get; }

    /// <summary>The failing node's operator type, when the backend said.</summary>
    public string? OpType { get; }
}
