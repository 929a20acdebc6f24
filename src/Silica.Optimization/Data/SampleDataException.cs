namespace Silica.Optimization.Data;

/// <summary>
/// Calibration or evaluation data that cannot be used: an empty or mixed folder, an unreadable file, or a tensor
/// whose shape or element type does not fit the model's input. The message is one line that names the file, the
/// input, and what was expected and found.
/// </summary>
public sealed class SampleDataException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public SampleDataException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and the failure behind it.</summary>
    public SampleDataException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with no message (prefer the overloads that say what is wrong).</summary>
    public SampleDataException()
        : base("the sample data cannot be used")
    {
    }
}
