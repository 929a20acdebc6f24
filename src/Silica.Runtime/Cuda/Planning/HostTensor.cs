using System.Buffers.Binary;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Runtime.Cuda.Planning;

/// <summary>
/// A constant known at plan time: integer and bool tensors as int64 (so int64 sentinels like INT64_MAX survive),
/// floating-point ones as double. Used by host constant folding and turned into Weight bytes at the end.
/// </summary>
internal sealed class HostTensor
{
    private HostTensor(TensorDataType type, long[] dims, long[]? ints, double[]? floats)
    {
        Type = type;
        Dims = dims;
        Ints = ints;
        Floats = floats;
    }

    public TensorDataType Type { get; }

    public long[] Dims { get; }

    public long[]? Ints { get; }

    public double[]? Floats { get; }

    public bool IsIntegral => Ints is not null;

    public long Count => Ints?.LongLength ?? Floats!.LongLength;

    public static bool IsIntegralType(TensorDataType t) => t.IsInteger() || t == TensorDataType.Bool;

    public static HostTensor OfInts(TensorDataType type, long[] dims, long[] values) => new(type, dims, values, null);

    public static HostTensor OfFloats(TensorDataType type, long[] dims, double[] values) => new(type, dims, null, values);

    /// <summary>A tensor of <paramref name="type"/> from doubles (rounded toward zero for integer types, like a C cast).</summary>
    public static HostTensor Create(TensorDataType type, long[] dims, double[] values) =>
        IsIntegralType(type) ? OfInts(type, dims, [.. values.Select(ToLong)]) : OfFloats(type, dims, values);

    public static HostTensor Create(TensorDataType type, long[] dims, long[] values) =>
        IsIntegralType(type) ? OfInts(type, dims, values) : OfFloats(type, dims, [.. values.Select(v => (double)v)]);

    /// <summary>The initializer's values, or null when it carries no data or is not a numeric type.</summary>
    public static HostTensor? FromProto(TensorProto tensor)
    {
        var type = (TensorDataType)tensor.DataType;
        if (!TensorData.HasData(tensor) || tensor.DataLocation == TensorProto.Types.DataLocation.External)
        {
            return null;
        }
        long[] dims = [.. tensor.Dims];
        if (IsIntegralType(type) && type is not (TensorDataType.Int4 or TensorDataType.UInt4))
        {
            return OfInts(type, dims, TensorData.ToInt64Array(tensor));
        }
        return type is TensorDataType.Float or TensorDataType.Double or TensorDataType.Float16 or TensorDataType.BFloat16
            ? OfFloats(type, dims, TensorData.ToDoubleArray(tensor))
            : null;
    }

    public double GetDouble(long i) => Ints is not null ? Ints[i] : Floats![i];

    public long GetLong(long i) => Ints is not null ? Ints[i] : ToLong(Floats![i]);

    public double[] ToDoubles() => Floats ?? [.. Ints!.Select(v => (double)v)];

    public long[] ToLongs() => Ints ?? [.. Floats!.Select(ToLong)];

    public HostTensor WithDims(long[] dims) => new(Type, dims, Ints, Floats);

    /// <summary>The same values converted to another element type (ONNX Cast semantics for the numeric types).</summary>
    public HostTensor CastTo(TensorDataType type)
    {
        if (type == TensorDataType.Bool)
        {
            return OfInts(type, Dims, [.. Enumerable.Range(0, checked((int)Count)).Select(i => GetDouble(i) != 0 ? 1L : 0L)]);
        }
        if (IsIntegralType(type))
        {
            return OfInts(type, Dims, ToLongs());
        }
        var values = ToDoubles();
        if (type == TensorDataType.Float)
        {
            values = [.. values.Select(v => (double)(float)v)];
        }
        else if (type == TensorDataType.Float16)
        {
            values = [.. values.Select(v => (double)(Half)v)];
        }
        return OfFloats(type, Dims, values);
    }

    /// <summary>Dense little-endian bytes in <paramref name="type"/>.</summary>
    public byte[] ToBytes(TensorDataType type)
    {
        var n = checked((int)Count);
        var bytes = new byte[checked((int)type.ByteCount(n))];
        var span = bytes.AsSpan();
        for (var i = 0; i < n; i++)
        {
            switch (type)
            {
                case TensorDataType.Float: BinaryPrimitives.WriteSingleLittleEndian(span[(i * 4)..], (float)GetDouble(i)); break;
                case TensorDataType.Double: BinaryPrimitives.WriteDoubleLittleEndian(span[(i * 8)..], GetDouble(i)); break;
                case TensorDataType.Float16: BinaryPrimitives.WriteHalfLittleEndian(span[(i * 2)..], (Half)GetDouble(i)); break;
                case TensorDataType.BFloat16: BinaryPrimitives.WriteUInt16LittleEndian(span[(i * 2)..], ToBFloat16((float)GetDouble(i))); break;
                case TensorDataType.Int64: BinaryPrimitives.WriteInt64LittleEndian(span[(i * 8)..], GetLong(i)); break;
                case TensorDataType.UInt64: BinaryPrimitives.WriteUInt64LittleEndian(span[(i * 8)..], (ulong)GetLong(i)); break;
                case TensorDataType.Int32: BinaryPrimitives.WriteInt32LittleEndian(span[(i * 4)..], (int)GetLong(i)); break;
                case TensorDataType.UInt32: BinaryPrimitives.WriteUInt32LittleEndian(span[(i * 4)..], (uint)GetLong(i)); break;
                case TensorDataType.Int16: BinaryPrimitives.WriteInt16LittleEndian(span[(i * 2)..], (short)GetLong(i)); break;
                case TensorDataType.UInt16: BinaryPrimitives.WriteUInt16LittleEndian(span[(i * 2)..], (ushort)GetLong(i)); break;
                case TensorDataType.Int8: span[i] = (byte)(sbyte)GetLong(i); break;
                case TensorDataType.UInt8: span[i] = (byte)GetLong(i); break;
                case TensorDataType.Bool: span[i] = GetDouble(i) != 0 ? (byte)1 : (byte)0; break;
                default: throw new PlanException($"cannot store a constant as {type.DisplayName()}");
            }
        }
        return bytes;
    }

    /// <summary>Round-to-nearest-even float → bfloat16 (NaN kept quiet).</summary>
    public static ushort ToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return 0x7FC0;
        }
        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }

    // Saturating like the CUDA/C++ conversions the kernels use, instead of .NET's platform-dependent overflow result.
    private static long ToLong(double v) =>
        double.IsNaN(v) ? 0 : v >= 9.2233720368547758E18 ? long.MaxValue : v <= -9.2233720368547758E18 ? long.MinValue : (long)v;
}
