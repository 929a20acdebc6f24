using Silica.Onnx.Graph;

namespace Silica.Optimization.Optimizer;

/// <summary>
/// Writes a model so that the destination is either the old file or the complete new one, never half a model: the
/// bytes go to a temporary file in the same folder (same file system, so the rename is atomic), then replace the
/// destination. On any failure the temporary file is removed and the destination is untouched.
/// </summary>
public static class ModelFileWriter
{
    /// <summary>
    /// Checks, before any long work, that <paramref name="path"/> can be written: its folder exists, it is not a folder,
    /// and a file can be created beside it.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The path is a folder, or the folder is not writable.</exception>
    public static void EnsureWritable(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new UnauthorizedAccessException($"cannot write '{path}': it is a folder");
        }
        var dir = Path.GetDirectoryName(full) ?? ".";
        if (!Directory.Exists(dir))
        {
            throw new DirectoryNotFoundException($"cannot write '{path}': folder '{dir}' does not exist");
        }
        var probe = TempPath(full);
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UnauthorizedAccessException($"cannot write '{path}': {e.Message}", e);
        }
        finally
        {
            File.Delete(probe);
        }
        if (File.Exists(full) && File.GetAttributes(full).HasFlag(FileAttributes.ReadOnly))
        {
            throw new UnauthorizedAccessException($"cannot write '{path}': the file is read-only");
        }
    }

    /// <summary>Serializes <paramref name="model"/> to <paramref name="path"/> atomically; returns the bytes written.</summary>
    /// <exception cref="UnauthorizedAccessException">The destination cannot be written.</exception>
    public static long Write(OnnxModel model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        return Write(model.ToBytes(), path);
    }

    /// <summary>Writes serialized model bytes to <paramref name="path"/> atomically; returns the bytes written.</summary>
    /// <exception cref="UnauthorizedAccessException">The destination cannot be written.</exception>
    public static long Write(byte[] bytes, string path)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var full = Path.GetFullPath(path);
        var temp = TempPath(full);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                stream.Write(bytes);
                // Flush to disk before the rename, so a crash right after cannot leave a renamed but empty file.
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
            return bytes.LongLength;
        }
        catch (IOException e)
        {
            throw new UnauthorizedAccessException($"cannot write '{path}': {e.Message}", e);
        }
        finally
        {
            File.Delete(temp);
        }
    }

    private static string TempPath(string full) =>
        Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
}
