using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Silica.Onnx.Protobuf;

namespace Silica.Onnx.Model;

/// <summary>Creates <see cref="TensorProto"/> constants and reads their values, whichever field holds the data.</summary>
public static class TensorData
{
    /// <summary>The number of elements (product of dims; 1 for a scalar).</summary>
    /// <exception cref="OverflowException">The product does not fit in 64 bits.</exception>
    /// <exception cref="OnnxFormatException">A dimension is negative.</exception>
    public static long ElementCount(TensorProto tensor)
    {
        long n = 1;
        foreach (var d in tensor.Dims)
        {
            if (d < 0)
            {
                throw new OnnxFormatException($"tensor '{tensor.Name}' has negative dimension {d}");
            }
            n = checked(n * d);
        }
        return n;
    }

    /// <summary>True when the tensor carries its values (inline or external), false for a weightless declaration.</summary>
    public static bool HasData(TensorProto tensor) =>
        !tensor.RawData.IsEmpty || tensor.FloatData.Count > 0 || tensor.Int32Data.Count > 0 || tensor.Int64Data.Count > 0
        || tensor.DoubleData.Count > 0 || tensor.Uint64Data.Count > 0 || tensor.StringData.Count > 0
        || tensor.DataLocation == TensorProto.Types.DataLocation.External || ElementCount(tensor) == 0;

    /// <summary>Bytes the tensor's values take in memory (by dtype; strings count their UTF-8 bytes).</summary>
    public static long ByteSize(TensorProto tensor)
    {
        var type = (TensorDataType)tensor.DataType;
        return type == TensorDataType.String ? tensor.StringData.Sum(s => (long)s.Length) : type.ByteCount(ElementCount(tensor));
    }

    /// <summary>A float tensor with the given values in <c>raw_data</c>.</summary>
    public static TensorProto FromFloats(string name, ReadOnlySpan<long> dims, ReadOnlySpan<float> values) =>
        FromRaw(name, TensorDataType.Float, dims, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>An int64 tensor with the given values in <c>raw_data</c>.</summary>
    public static TensorProto FromInt64s(string name, ReadOnlySpan<long> dims, ReadOnlySpan<long> values) =>
        FromRaw(name, TensorDataType.Int64, dims, MemoryMarshal.AsBytes(values).ToArray());

    /// <summary>A tensor wrapping little-endian bytes as its <c>raw_data</c> (the array is not copied).</summary>
    public static TensorProto FromRaw(string name, TensorDataType type, ReadOnlySpan<long> dims, byte[] raw)
    {
        var t = new TensorProto { Name = name, DataType = (int)type, RawData = UnsafeByteOperations.UnsafeWrap(raw) };
        foreach (var d in dims)
        {
            t.Dims.Add(d);
        }
        return t;
    }

    /// <summary>A tensor declared with dims and type but no data (for weightless analysis models).</summary>
    public static TensorProto Weightless(string name, TensorDataType type, ReadOnlySpan<long> dims)
    {
        var t = new TensorProto { Name = name, DataType = (int)type };
        foreach (var d in dims)
        {
            t.Dims.Add(d);
        }
        return t;
    }

    /// <summary>The values of an integer or bool tensor as int64 (used for shapes, axes and indices).</summary>
    /// <exception cref="OnnxFormatException">The tensor is not an integer type or its data does not match its shape.</exception>
    public static long[] ToInt64Array(TensorProto tensor)
    {
        var type = (TensorDataType)tensor.DataType;
        var n = checked((int)ElementCount(tensor));
        var raw = tensor.RawData.Span;
        if (!raw.IsEmpty)
        {
            var size = type.ByteCount(n);
            if (raw.Length != size)
            {
                throw new OnnxFormatException($"tensor '{tensor.Name}' holds {raw.Length} bytes; its shape needs {size}");
            }
            var result = new long[n];
            for (var i = 0; i < n; i++)
            {
                result[i] = type switch
                {
                    TensorDataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(raw[(i * 8)..]),
                    TensorDataType.UInt64 => (long)BinaryPrimitives.ReadUInt64LittleEndian(raw[(i * 8)..]),
                    TensorDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(raw[(i * 4)..]),
                    TensorDataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(raw[(i * 4)..]),
                    TensorDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(raw[(i * 2)..]),
                    TensorDataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(raw[(i * 2)..]),
                    TensorDataType.Int8 => (sbyte)raw[i],
                    TensorDataType.UInt8 or TensorDataType.Bool => raw[i],
                    _ => throw new OnnxFormatException($"tensor '{tensor.Name}' is {type.DisplayName()}, not an integer tensor"),
                };
            }
            return result;
        }
        long[] values = type switch
        {
            TensorDataType.Int64 => [.. tensor.Int64Data],
            TensorDataType.UInt64 => [.. tensor.Uint64Data.Select(v => (long)v)],
            TensorDataType.Int32 or TensorDataType.Int16 or TensorDataType.Int8 or TensorDataType.UInt16
                or TensorDataType.UInt8 or TensorDataType.Bool => [.. tensor.Int32Data.Select(v => (long)v)],
            TensorDataType.UInt32 => [.. tensor.Uint64Data.Select(v => (long)v)],
            _ => throw new OnnxFormatException($"tensor '{tensor.Name}' is {type.DisplayName()}, not an integer tensor"),
        };
        if (values.Length != n)
        {
            throw new OnnxFormatException($"tensor '{tensor.Name}' holds {values.Length} values; its shape needs {n}");
        }
        return values;
    }

    /// <summary>The values of a floating-point or integer tensor converted to double.</summary>
    /// <exception cref="OnnxFormatException">The type is not numeric or the data does not match the shape.</exception>
    public static double[] ToDoubleArray(TensorProto tensor)
    {
        var type = (TensorDataType)tensor.DataType;
        if (type.IsInteger() || type == TensorDataType.Bool)
        {
            return [.. ToInt64Array(tensor).Select(v => (double)v)];
        }
        var n = checked((int)ElementCount(tensor));
        var raw = tensor.RawData.Span;
        double[] values;
        if (!raw.IsEmpty)
        {
            var size = type.ByteCount(n);
            if (raw.Length != size)
            {
                throw new OnnxFormatException($"tensor '{tensor.Name}' holds {raw.Length} bytes; its shape needs {size}");
            }
            values = new double[n];
            for (var i = 0; i < n; i++)
            {
                values[i] = type switch
                {
                    TensorDataType.Float => BinaryPrimitives.ReadSingleLittleEndian(raw[(i * 4)..]),
                    TensorDataType.Double => BinaryPrimitives.ReadDoubleLittleEndian(raw[(i * 8)..]),
                    TensorDataType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(raw[(i * 2)..]),
                    TensorDataType.BFloat16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(raw[(i * 2)..]) << 16),
                    _ => throw new OnnxFormatException($"tensor '{tensor.Name}' of type {type.DisplayName()} cannot be read as numbers"),
                };
            }
            return values;
        }
        values = type switch
        {
            TensorDataType.Float => [.. tensor.FloatData.Select(v => (double)v)],
            TensorDataType.Double => [.. tensor.DoubleData],
            TensorDataType.Float16 => [.. tensor.Int32Data.Select(v => (double)BitConverter.UInt16BitsToHalf((ushort)v))],
            TensorDataType.BFloat16 => [.. tensor.Int32Data.Select(v => (double)BitConverter.Int32BitsToSingle(v << 16))],
            _ => throw new OnnxFormatException($"tensor '{tensor.Name}' of type {type.DisplayName()} cannot be read as numbers"),
        };
        if (values.Length != n)
        {
            throw new OnnxFormatException($"tensor '{tensor.Name}' holds {values.Length} values; its shape needs {n}");
        }
        return values;
    }

    /// <summary>
    /// The tensor's values as little-endian bytes, whichever field holds them (<c>raw_data</c> or a typed
    /// field); null for strings, external or absent data.
    /// </summary>
    public static byte[]? ToRawBytes(TensorProto tensor)
    {
        if (!tensor.RawData.IsEmpty)
        {
            return tensor.RawData.ToByteArray();
        }
        var type = (TensorDataType)tensor.DataType;
        var n = checked((int)ElementCount(tensor));
        switch (type)
        {
            case TensorDataType.Float when tensor.FloatData.Count == n:
                return MemoryMarshal.AsBytes(tensor.FloatData.ToArray().AsSpan()).ToArray();
            case TensorDataType.Double when tensor.DoubleData.Count == n:
                return MemoryMarshal.AsBytes(tensor.DoubleData.ToArray().AsSpan()).ToArray();
            case TensorDataType.Int64 when tensor.Int64Data.Count == n:
                return MemoryMarshal.AsBytes(tensor.Int64Data.ToArray().AsSpan()).ToArray();
            case TensorDataType.UInt64 or TensorDataType.UInt32 when tensor.Uint64Data.Count == n:
                return type == TensorDataType.UInt64
                    ? MemoryMarshal.AsBytes(tensor.Uint64Data.ToArray().AsSpan()).ToArray()
                    : MemoryMarshal.AsBytes(tensor.Uint64Data.Select(v => (uint)v).ToArray().AsSpan()).ToArray();
            case TensorDataType.Int32 when tensor.Int32Data.Count == n:
                return MemoryMarshal.AsBytes(tensor.Int32Data.ToArray().AsSpan()).ToArray();
            case TensorDataType.Int16 or TensorDataType.UInt16 or TensorDataType.Float16 or TensorDataType.BFloat16 when tensor.Int32Data.Count == n:
                return MemoryMarshal.AsBytes(tensor.Int32Data.Select(v => (ushort)v).ToArray().AsSpan()).ToArray();
            case TensorDataType.Int8 or TensorDataType.UInt8 or TensorDataType.Bool or TensorDataType.Float8E4M3FN
                or TensorDataType.Float8E4M3FNUZ or TensorDataType.Float8E5M2 or TensorDataType.Float8E5M2FNUZ when tensor.Int32Data.Count == n:
                return [.. tensor.Int32Data.Select(v => (byte)v)];
            default:
                return null;
        }
    }
}
