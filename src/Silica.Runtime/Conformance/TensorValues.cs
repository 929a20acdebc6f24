using System.Buffers.Binary;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;
using Silica.Runtime.Tensors;

namespace Silica.Runtime.Conformance;

/// <summary>
/// Reads tensors of any dense numeric element type as <see cref="double"/> values, so results computed in
/// different precisions (FP32 on one backend, FP16 on another) can be compared element by element.
/// </summary>
public static class TensorValues
{
    /// <summary>The tensor's elements widened to <see cref="double"/> (booleans as 0/1).</summary>
    /// <exception cref="NotSupportedException">The element type has no numeric reading (strings, complex, 4-bit).</exception>
    public static double[] ToDoubles(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return ToDoubles(tensor.ElementType, tensor.Bytes);
    }

    /// <summary>Little-endian element bytes of <paramref name="type"/> widened to <see cref="double"/>.</summary>
    /// <exception cref="NotSupportedException">The element type has no numeric reading (strings, complex, 4-bit).</exception>
    public static double[] ToDoubles(TensorDataType type, ReadOnlySpan<byte> bytes)
    {
        var size = type.BitsPerElement() / 8;
        if (size == 0 || type is TensorDataType.Complex64 or TensorDataType.Complex128)
        {
            throw new NotSupportedException($"element type {type.DisplayName()} has no numeric comparison");
        }
        var values = new double[bytes.Length / size];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = Read(type, bytes.Slice(i * size, size));
        }
        return values;
    }

    /// <summary>Creates a tensor holding a <see cref="TensorProto"/>'s values (as read from an ONNX test's <c>.pb</c> file).</summary>
    /// <param name="proto">The tensor.</param>
    /// <param name="declaredType">
    /// The type the model declares, when known. ONNX test data from before BF16 had its own code stores BF16
    /// tensors as UINT16; with <see cref="TensorDataType.BFloat16"/> declared, such bits are read as BF16.
    /// </param>
    /// <exception cref="NotSupportedException">The proto holds strings, external data, or no data.</exception>
    public static Tensor FromProto(TensorProto proto, TensorDataType? declaredType = null)
    {
        ArgumentNullException.ThrowIfNull(proto);
        var type = (TensorDataType)proto.DataType;
        if (type == TensorDataType.UInt16 && declaredType == TensorDataType.BFloat16)
        {
            type = TensorDataType.BFloat16;
        }
        var raw = TensorData.ToRawBytes(proto)
            ?? throw new NotSupportedException($"tensor '{proto.Name}' of type {type.DisplayName()} has no inline numeric data");
        var tensor = Tensor.Allocate(type, [.. proto.Dims]);
        if (raw.Length != tensor.ByteLength)
        {
            tensor.Dispose();
            throw new NotSupportedException($"tensor '{proto.Name}' holds {raw.Length} bytes; its shape needs {tensor.ByteLength}");
        }
        raw.CopyTo(tensor.Bytes);
        return tensor;
    }

    private static double Read(TensorDataType type, ReadOnlySpan<byte> b) => type switch
    {
        TensorDataType.Float => BinaryPrimitives.ReadSingleLittleEndian(b),
        TensorDataType.Double => BinaryPrimitives.ReadDoubleLittleEndian(b),
        TensorDataType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(b),
        // BF16 is the upper half of an FP32.
        TensorDataType.BFloat16 => BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(b) << 16),
        TensorDataType.Int8 => (sbyte)b[0],
        TensorDataType.UInt8 or TensorDataType.Bool => b[0],
        TensorDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(b),
        TensorDataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(b),
        TensorDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(b),
        TensorDataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(b),
        TensorDataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(b),
        TensorDataType.UInt64 => BinaryPrimitives.ReadUInt64LittleEndian(b),
        _ => throw new NotSupportedException($"element type {type.DisplayName()} has no numeric comparison"),
    };
}
