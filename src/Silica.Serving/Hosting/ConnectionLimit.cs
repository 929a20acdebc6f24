namespace Silica.Serving.Hosting;

/// <summary>
/// The default cap on concurrent client connections: half the process's open-file limit, at most 10,000. Each
/// connection holds a socket descriptor; a server that accepts until the descriptors run out then cannot open a
/// model file, a log or even start a thread (the .NET runtime reports that as out of memory and aborts), so an
/// open-loop storm past capacity would take it down. Past the cap Kestrel closes new connections at once, and the
/// clients already connected keep being served.
/// </summary>
internal static class ConnectionLimit
{
    private const long Ceiling = 10_000;

    /// <summary>The cap for this process: half its soft <c>RLIMIT_NOFILE</c>, at least 64, at most 10,000.</summary>
    public static long Default { get; } = FromOpenFileLimit(ReadOpenFileLimit());

    /// <summary>The cap for a given open-file limit (null when it is unknown or unlimited).</summary>
    public static long FromOpenFileLimit(long? openFiles) =>
        openFiles is { } n ? Math.Clamp(n / 2, 64, Ceiling) : Ceiling;

    // Linux publishes the limits in /proc; elsewhere the ceiling applies.
    private static long? ReadOpenFileLimit()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (line.StartsWith("Max open files", StringComparison.Ordinal))
                {
                    var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return fields.Length > 0 && long.TryParse(fields[0], out var soft) ? soft : null;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return null;
    }
}
