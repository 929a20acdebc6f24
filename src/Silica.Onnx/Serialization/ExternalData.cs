using Google.Protobuf;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Onnx.Serialization;

/// <summary>
/// Resolves tensors stored outside the model file. A location must be a relative path that stays inside
/// the model's folder after following symbolic links; anything else is rejected before the file is opened.
/// </summary>
internal static class ExternalData
{
    public static void Resolve(TensorProto tensor, string? baseDirectory, bool load)
    {
        string? location = null;
        long offset = 0;
        long? length = null;
        foreach (var e in tensor.ExternalData)
        {
            switch (e.Key)
            {
                case "location":
                    location = e.Value;
                    break;
                case "offset":
                    offset = ParseNonNegative(e.Value, "offset", tensor);
                    break;
                case "length":
                    length = ParseNonNegative(e.Value, "length", tensor);
                    break;
                default:
                    break;
            }
        }
        if (string.IsNullOrEmpty(location))
        {
            throw new OnnxFormatException($"tensor '{tensor.Name}' is marked external but names no location");
        }
        if (baseDirectory is null)
        {
            throw new OnnxFormatException($"tensor '{tensor.Name}' keeps its data in '{location}'; load the model from its file so the data can be found");
        }
        var path = ConfinedPath(baseDirectory, location, tensor.Name);
        if (!File.Exists(path))
        {
            throw new OnnxFormatException($"external data file '{location}' for tensor '{tensor.Name}' not found");
        }
        var fileLength = new FileInfo(path).Length;
        var type = (TensorDataType)tensor.DataType;
        var elements = TensorData.ElementCount(tensor);
        var expected = type == TensorDataType.String ? (long?)null : type.ByteCount(elements);
        if (length is { } l && expected is { } x && l != x)
        {
            throw new OnnxFormatException($"tensor '{tensor.Name}' declares {l} bytes of external data but its shape needs {x}");
        }
        var size = length ?? expected ?? (fileLength - offset);
        if (offset > fileLength || size > fileLength - offset)
        {
            throw new OnnxFormatException($"external data for tensor '{tensor.Name}' reaches past the end of '{location}' ({offset}+{size} > {fileLength} bytes)");
        }
        if (!load)
        {
            return;
        }
        var data = new byte[size];
        using (var f = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            f.Seek(offset, SeekOrigin.Begin);
            f.ReadExactly(data);
        }
        tensor.RawData = UnsafeByteOperations.UnsafeWrap(data);
        tensor.ExternalData.Clear();
        tensor.ClearDataLocation();
    }

    /// <summary>
    /// The full path of <paramref name="location"/> under <paramref name="baseDirectory"/>; rejects absolute
    /// paths, <c>..</c> segments, NUL characters and anything whose real path leaves the folder.
    /// </summary>
    public static string ConfinedPath(string baseDirectory, string location, string tensorName)
    {
        if (location.Contains('\0', StringComparison.Ordinal))
        {
            throw new OnnxFormatException($"external data location for tensor '{tensorName}' contains a NUL character");
        }
        if (Path.IsPathRooted(location) || location.StartsWith('/') || location.StartsWith('\\')
            || (location.Length >= 2 && location[1] == ':'))
        {
            throw new OnnxFormatException($"external data location '{location}' for tensor '{tensorName}' is absolute; it must be relative to the model's folder");
        }
        if (location.Split('/', '\\').Any(s => s == ".."))
        {
            throw new OnnxFormatException($"external data location '{location}' for tensor '{tensorName}' contains '..'");
        }
        var root = RealPath(baseDirectory);
        var real = RealPath(Path.Combine(baseDirectory, location));
        var prefix = root.EndsWith(Path.DirectorySeparatorChar) ? root : root + Path.DirectorySeparatorChar;
        if (!real.StartsWith(prefix, StringComparison.Ordinal))
        {
            throw new OnnxFormatException($"external data location '{location}' for tensor '{tensorName}' resolves outside the model's folder");
        }
        return real;
    }

    /// <summary>The absolute path with every symbolic link along it followed.</summary>
    public static string RealPath(string path)
    {
        var full = Path.GetFullPath(path);
        var root = Path.GetPathRoot(full) ?? "/";
        var pending = new Stack<string>(full[root.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Reverse());
        var current = root;
        var hops = 0;
        while (pending.Count > 0)
        {
            var part = pending.Pop();
            var candidate = Path.Combine(current, part);
            FileSystemInfo info = Directory.Exists(candidate) ? new DirectoryInfo(candidate) : new FileInfo(candidate);
            if (info.LinkTarget is { } target)
            {
                if (++hops > 40)
                {
                    throw new OnnxFormatException($"too many symbolic links while resolving '{path}'");
                }
                var resolved = Path.GetFullPath(Path.IsPathRooted(target) ? target : Path.Combine(current, target));
                var rest = resolved[(Path.GetPathRoot(resolved) ?? "/").Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
                for (var i = rest.Length - 1; i >= 0; i--)
                {
                    pending.Push(rest[i]);
                }
                current = Path.GetPathRoot(resolved) ?? "/";
                continue;
            }
            current = candidate;
        }
        return current;
    }

    private static long ParseNonNegative(string text, string key, TensorProto tensor) =>
        long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new OnnxFormatException($"external data {key} '{text}' for tensor '{tensor.Name}' is not a non-negative integer");
}
