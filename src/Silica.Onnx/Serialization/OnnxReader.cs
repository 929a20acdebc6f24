using Google.Protobuf;
using Silica.Onnx.Graph;
using Silica.Onnx.Protobuf;

namespace Silica.Onnx.Serialization;

/// <summary>Reads ONNX models from files and bytes, turning every failure into an <see cref="OnnxFormatException"/>.</summary>
internal static class OnnxReader
{
    public static OnnxModel ReadFile(string path, OnnxReadOptions? options)
    {
        options ??= new OnnxReadOptions();
        if (Directory.Exists(path))
        {
            throw new OnnxFormatException($"'{path}' is a directory, not an ONNX file");
        }
        if (!File.Exists(path))
        {
            throw new OnnxFormatException($"model file not found: '{path}'");
        }
        byte[] bytes;
        try
        {
            var length = new FileInfo(path).Length;
            if (length > options.MaxModelBytes)
            {
                throw new OnnxFormatException($"'{path}' is {length} bytes, over the {options.MaxModelBytes}-byte limit for one ONNX file");
            }
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxFormatException($"cannot read '{path}': {e.Message}", e);
        }
        return Read(bytes, Path.GetDirectoryName(Path.GetFullPath(path)), options, path);
    }

    public static OnnxModel Read(ReadOnlySpan<byte> bytes, string? baseDirectory, OnnxReadOptions? options, string? what = null)
    {
        options ??= new OnnxReadOptions();
        what ??= "input";
        if (bytes.Length == 0)
        {
            throw new OnnxFormatException($"'{what}' is empty, not an ONNX model");
        }
        ModelProto proto;
        try
        {
            proto = options.RecursionLimit == DefaultRecursionLimit ? ModelProto.Parser.ParseFrom(bytes) : ParseWithLimit(bytes, options.RecursionLimit);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxFormatException($"'{what}' is not a valid ONNX model ({FirstSentence(e.Message)})", e);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new OnnxFormatException($"'{what}' is not a valid ONNX model ({FirstSentence(e.Message)})", e);
        }

        try
        {
            return Build(proto, baseDirectory, options, what);
        }
        catch (OnnxFormatException)
        {
            throw;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OverflowException
            or IndexOutOfRangeException or FormatException or KeyNotFoundException)
        {
            throw new OnnxFormatException($"'{what}' is a malformed ONNX model ({FirstSentence(e.Message)})", e);
        }
    }

    /// <summary>The nesting limit protobuf's in-memory parser applies (it takes no other).</summary>
    private const int DefaultRecursionLimit = 100;

    /// <summary>
    /// The stream parser, needed only for a non-default recursion limit: slower, and it copies the input once
    /// more. The span parser reads each byte field with one copy (parse time halved, docs/perf.md). Both check
    /// a declared length against the bytes that remain before allocating for it.
    /// </summary>
    private static ModelProto ParseWithLimit(ReadOnlySpan<byte> bytes, int recursionLimit)
    {
        var array = bytes.ToArray();
        using var stream = new MemoryStream(array, writable: false);
        using var input = CodedInputStream.CreateWithLimits(stream, array.Length, recursionLimit);
        var proto = new ModelProto();
        proto.MergeFrom(input);
        return proto;
    }

    private static OnnxModel Build(ModelProto proto, string? baseDirectory, OnnxReadOptions options, string what)
    {
        if (proto.Graph is null)
        {
            throw new OnnxFormatException($"'{what}' is not an ONNX model: it has no graph");
        }
        if (proto.OpsetImport.Count == 0 && !proto.HasIrVersion)
        {
            throw new OnnxFormatException($"'{what}' is not an ONNX model: it declares neither an IR version nor an opset");
        }
        foreach (var tensor in AllTensors(proto.Graph))
        {
            if (tensor.HasDataLocation && tensor.DataLocation == TensorProto.Types.DataLocation.External)
            {
                ExternalData.Resolve(tensor, baseDirectory, options.LoadExternalData);
            }
        }
        var graph = proto.Graph;
        proto.Graph = null;
        return new OnnxModel(proto, OnnxGraph.FromProto(graph));
    }

    /// <summary>Every tensor in a graph: initializers and tensor attributes, in subgraphs too.</summary>
    internal static IEnumerable<TensorProto> AllTensors(GraphProto graph)
    {
        foreach (var t in graph.Initializer)
        {
            yield return t;
        }
        foreach (var s in graph.SparseInitializer)
        {
            if (s.Values is not null)
            {
                yield return s.Values;
            }
            if (s.Indices is not null)
            {
                yield return s.Indices;
            }
        }
        foreach (var node in graph.Node)
        {
            foreach (var a in node.Attribute)
            {
                if (a.T is not null)
                {
                    yield return a.T;
                }
                foreach (var t in a.Tensors)
                {
                    yield return t;
                }
                if (a.G is not null)
                {
                    foreach (var t in AllTensors(a.G))
                    {
                        yield return t;
                    }
                }
                foreach (var g in a.Graphs)
                {
                    foreach (var t in AllTensors(g))
                    {
                        yield return t;
                    }
                }
            }
        }
    }

    private static string FirstSentence(string message)
    {
        var line = message.Split('\n')[0].Trim();
        return line.TrimEnd('.');
    }
}
