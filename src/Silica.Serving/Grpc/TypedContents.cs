using System.Runtime.InteropServices;
using Google.Protobuf.Collections;
using Silica.Onnx.Model;
using Silica.Runtime.Tensors;
using Silica.Serving.Core;
using Silica.Serving.Grpc.Protocol;

namespace Silica.Serving.Grpc;

/// <summary>
/// Converts <c>InferTensorContents</c> (the typed alternative to raw contents) to dense little-endian bytes.
/// Values out of the datatype's range are refused, never wrapped: a silent coercion would compute on the wrong input.
/// </summary>
internal static class TypedContents
{
    public static byte[] ToBytes(string name, TensorDataType type, InferTensorContents? contents, long count)
    {
        if (contents is null)
        {
            throw new InvalidRequestException($"input '{name}' has no contents; send raw_input_contents or typed contents");
        }
        return type switch
        {
            TensorDataType.Float => Copy(name, contents.Fp32Contents, count, "fp32_contents"),
            TensorDataType.Double => Copy(name, contents.Fp64Contents, count, "fp64_contents"),
            TensorDataType.Int64 => Copy(name, contents.Int64Contents, count, "int64_contents"),
            TensorDataType.UInt64 => Copy(name, contents.Uint64Contents, count, "uint64_contents"),
            TensorDataType.Int32 => Copy(name, contents.IntContents, count, "int_contents"),
            TensorDataType.UInt32 => Copy(name, contents.UintContents, count, "uint_contents"),
            TensorDataType.Int16 => Narrow<int, short>(name, contents.IntContents, count, "int_contents", short.MinValue, short.MaxValue),
            TensorDataType.Int8 => Narrow<int, sbyte>(name, contents.IntContents, count, "int_contents", sbyte.MinValue, sbyte.MaxValue),
            TensorDataType.UInt16 => Narrow<uint, ushort>(name, contents.UintContents, count, "uint_contents", ushort.MinValue, ushort.MaxValue),
            TensorDataType.UInt8 => Narrow<uint, byte>(name, contents.UintContents, count, "uint_contents", byte.MinValue, byte.MaxValue),
            TensorDataType.Bool => Bools(name, contents.BoolContents, count),
            _ => throw new InvalidRequestException($"input '{name}' of type {OipDatatypes.Name(type)} must be sent as raw_input_contents"),
        };
    }

    private static void CheckCount(string name, int got, long count, string field)
    {
        if (got != count)
        {
            throw new InvalidRequestException($"input '{name}': expected {count} elements in {field}, got {got}");
        }
    }

    private static byte[] Copy<T>(string name, RepeatedField<T> values, long count, string field)
        where T : unmanaged
    {
        CheckCount(name, values.Count, count, field);
        var bytes = new byte[checked(values.Count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>())];
        var span = MemoryMarshal.Cast<byte, T>(bytes.AsSpan());
        for (var i = 0; i < values.Count; i++)
        {
            span[i] = values[i];
        }
        return bytes;
    }

    private static byte[] Narrow<TWire, T>(string name, RepeatedField<TWire> values, long count, string field, long min, long max)
        where TWire : unmanaged, System.Numerics.IBinaryInteger<TWire>
        where T : unmanaged, System.Numerics.IBinaryInteger<T>
    {
        CheckCount(name, values.Count, count, field);
        var bytes = new byte[checked(values.Count * System.Runtime.CompilerServices.Unsafe.SizeOf<T>())];
        var span = MemoryMarshal.Cast<byte, T>(bytes.AsSpan());
        for (var i = 0; i < values.Count; i++)
        {
            var v = long.CreateTruncating(values[i]);
            if (v < min || v > max)
            {
                throw new InvalidRequestException($"input '{name}': element {i} ({v}) is out of range [{min}, {max}]");
            }
            span[i] = T.CreateTruncating(v);
        }
        return bytes;
    }

    private static byte[] Bools(string name, RepeatedField<bool> values, long count)
    {
        CheckCount(name, values.Count, count, "bool_contents");
        var bytes = new byte[values.Count];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = values[i] ? (byte)1 : (byte)0;
        }
        return bytes;
    }
}
