namespace Silica.Serving.Repository;

/// <summary>
/// Resolves symbolic links component by component (.NET has no <c>realpath</c>), so a repository can compare the
/// path it will open with its root (RELIABILITY row 29). Callers open the returned path, not the one they were
/// given, so what was checked is what gets read.
/// </summary>
internal static class RealPath
{
    // Linux's own limit on links followed in one lookup.
    private const int MaxLinks = 40;

    /// <exception cref="IOException">The path has a link loop or too many links.</exception>
    public static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        var links = 0;
        while (true)
        {
            var root = Path.GetPathRoot(full)!;
            var parts = full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
            var current = root;
            string? restart = null;
            for (var i = 0; i < parts.Length; i++)
            {
                var next = Path.Join(current, parts[i]);
                var target = new FileInfo(next).LinkTarget;
                if (target is null)
                {
                    current = next;
                    continue;
                }
                if (++links > MaxLinks)
                {
                    throw new IOException($"too many symbolic links resolving '{path}'");
                }
                var resolved = Path.IsPathRooted(target) ? target : Path.Join(current, target);
                restart = Path.GetFullPath(Path.Join([resolved, .. parts[(i + 1)..]]));
                break;
            }
            if (restart is null)
            {
                return current;
            }
            full = restart;
        }
    }

    /// <summary>True when <paramref name="realPath"/> is <paramref name="realRoot"/> or lies below it.</summary>
    public static bool IsUnder(string realPath, string realRoot) =>
        realPath == realRoot
        || realPath.StartsWith(Path.EndsInDirectorySeparator(realRoot) ? realRoot : realRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal);
}
