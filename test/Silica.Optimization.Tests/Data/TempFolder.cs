using System.Runtime.InteropServices;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;
using Silica.Optimization.Data;

namespace Silica.Optimization.Tests.Data;

/// <summary>A temporary folder for sample files, deleted with everything in it.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Path = Directory.CreateTempSubdirectory("silica-samples-").FullName;

    public string Path { get; }

    public string Sub(string name) => Directory.CreateDirectory(System.IO.Path.Combine(Path, name)).FullName;

    public string File(string relative) => System.IO.Path.Combine(Path, relative);

    public string WriteNpy<T>(string relative, T[] values, params long[] shape)
        where T : unmanaged
    {
        var path = File(relative);
        System.IO.File.WriteAllBytes(path, NpyFormat.Format(TypeOf<T>(), shape, MemoryMarshal.AsBytes(values.AsSpan())));
        return path;
    }

    public string WritePb(string relative, TensorProto tensor)
    {
        var path = File(relative);
        using var stream = System.IO.File.Create(path);
        Google.Protobuf.MessageExtensions.WriteTo(tensor, stream);
        return path;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);

    private static TensorDataType TypeOf<T>() => typeof(T) == typeof(float) ? TensorDataType.Float
        : typeof(T) == typeof(long) ? TensorDataType.Int64
        : typeof(T) == typeof(int) ? TensorDataType.Int32
        : typeof(T) == typeof(Half) ? TensorDataType.Float16
        : typeof(T) == typeof(double) ? TensorDataType.Double
        : typeof(T) == typeof(byte) ? TensorDataType.UInt8
        : typeof(T) == typeof(bool) ? TensorDataType.Bool
        : throw new NotSupportedException(typeof(T).Name);
}
