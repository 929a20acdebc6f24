namespace Silica.Hardware;

/// <summary>
/// A catalog file could not be loaded. The message is one line naming the file, the entry id (when there is one)
/// and the problem, e.g. <c>my.json: device 'inf3-claim': unknown basedOn 'inferentia9'</c>.
/// </summary>
public sealed class CatalogException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public CatalogException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and the underlying cause.</summary>
    public CatalogException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public CatalogException() : base("invalid hardware catalog")
    {
    }
}
