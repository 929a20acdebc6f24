using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Silica.Onnx.Model;

namespace Silica.Runtime.Cuda.Reference;

/// <summary>
/// Decodes and encodes tensor elements on the host in every storage type the CUDA engine uses, rounding exactly as the
/// device stores do (round-to-nearest-even for half, bfloat16 and FP8), so reference values carry the GPU's rounding.
/// </summary>
internal static class HostTensorMath
{
    // FP8 E4M3FN: 4 exponent bits (bias 7), 3 mantissa bits, no infinities, 0x7F/0xFF are NaN, largest finite 448.
    public const float Float8E4M3Max = 448f;

    /// <summary>Bytes per element; throws for types the interpreter cannot address element by element.</summary>
    public static int ElementSize(TensorDataType type) => type.BitsPerElement() switch
    {
        8 => 1,
        16 => 2,
        32 => 4,
        64 when type != TensorDataType.Complex64 => 8,
        _ => throw new NotSupportedException($"element type {type} is not supported by the reference interpreter"),
    };

    /// <summary>True for integer and bool types: the elementwise evaluator computes in int64 when all operands are.</summary>
    public static bool IsIntegral(TensorDataType type) => type == TensorDataType.Bool || type.IsInteger();

    public static float[] DecodeFloats(ReadOnlySpan<byte> bytes, TensorDataType type)
    {
        if (type == TensorDataType.Float && BitConverter.IsLittleEndian)
        {
            return MemoryMarshal.Cast<byte, float>(bytes).ToArray(); // the common case, without per-element dispatch
        }
        var n = bytes.Length / ElementSize(type);
        var values = new float[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = (float)ReadDouble(bytes, type, i);
        }
        return values;
    }

    public static void EncodeFloats(ReadOnlySpan<float> values, TensorDataType type, Span<byte> destination)
    {
        if (type == TensorDataType.Float && BitConverter.IsLittleEndian)
        {
            MemoryMarshal.AsBytes(values).CopyTo(destination);
            return;
        }
        for (var i = 0; i < values.Length; i++)
        {
            WriteDouble(destination, type, i, values[i]);
        }
    }

    public static long[] DecodeInt64s(ReadOnlySpan<byte> bytes, TensorDataType type)
    {
        var n = bytes.Length / ElementSize(type);
        var values = new long[n];
        for (var i = 0; i < n; i++)
        {
            values[i] = ReadInt64(bytes, type, i);
        }
        return values;
    }

    public static void EncodeInt64s(ReadOnlySpan<long> values, TensorDataType type, Span<byte> destination)
    {
        for (var i = 0; i < values.Length; i++)
        {
            WriteInt64(destination, type, i, values[i]);
        }
    }

    /// <summary>Floats → bytes in <paramref name="type"/> (a convenience for tests and weights).</summary>
    public static byte[] ToBytes(ReadOnlySpan<float> values, TensorDataType type)
    {
        var bytes = new byte[values.Length * ElementSize(type)];
        EncodeFloats(values, type, bytes);
        return bytes;
    }

    public static byte[] ToBytes(ReadOnlySpan<long> values, TensorDataType type)
    {
        var bytes = new byte[values.Length * ElementSize(type)];
        EncodeInt64s(values, type, bytes);
        return bytes;
    }

    /// <summary>The value a float becomes once stored in <paramref name="type"/> and read back.</summary>
    public static float RoundTo(float value, TensorDataType type)
    {
        Span<byte> one = stackalloc byte[8];
        WriteDouble(one, type, 0, value);
        return (float)ReadDouble(one, type, 0);
    }

    public static double ReadDouble(ReadOnlySpan<byte> b, TensorDataType type, long index)
    {
        var i = checked((int)index);
        return type switch
        {
            TensorDataType.Float => BinaryPrimitives.ReadSingleLittleEndian(b[(i * 4)..]),
            TensorDataType.Double => BinaryPrimitives.ReadDoubleLittleEndian(b[(i * 8)..]),
            TensorDataType.Float16 => (double)BinaryPrimitives.ReadHalfLittleEndian(b[(i * 2)..]),
            TensorDataType.BFloat16 => FromBFloat16(BinaryPrimitives.ReadUInt16LittleEndian(b[(i * 2)..])),
            TensorDataType.Float8E4M3FN => FromFloat8E4M3(b[i]),
            TensorDataType.Float8E5M2 => (double)BitConverter.UInt16BitsToHalf((ushort)(b[i] << 8)),
            _ => ReadInt64(b, type, index),
        };
    }

    public static void WriteDouble(Span<byte> b, TensorDataType type, long index, double value)
    {
        var i = checked((int)index);
        switch (type)
        {
            case TensorDataType.Float:
                BinaryPrimitives.WriteSingleLittleEndian(b[(i * 4)..], (float)value);
                break;
            case TensorDataType.Double:
                BinaryPrimitives.WriteDoubleLittleEndian(b[(i * 8)..], value);
                break;
            case TensorDataType.Float16:
                // Through float first, as the device does (float → __half); double → Half directly could round differently.
                BinaryPrimitives.WriteHalfLittleEndian(b[(i * 2)..], (Half)(float)value);
                break;
            case TensorDataType.BFloat16:
                BinaryPrimitives.WriteUInt16LittleEndian(b[(i * 2)..], ToBFloat16((float)value));
                break;
            case TensorDataType.Float8E4M3FN:
                b[i] = ToFloat8E4M3((float)value);
                break;
            case TensorDataType.Float8E5M2:
                b[i] = ToFloat8E5M2((float)value);
                break;
            case TensorDataType.Bool:
                b[i] = value != 0 ? (byte)1 : (byte)0;
                break;
            default:
                // float → integer truncates toward zero like a C cast; NaN stores 0.
                WriteInt64(b, type, index, double.IsNaN(value) ? 0 : (long)Math.Clamp(Math.Truncate(value), long.MinValue, long.MaxValue));
                break;
        }
    }

    public static long ReadInt64(ReadOnlySpan<byte> b, TensorDataType type, long index)
    {
        var i = checked((int)index);
        return type switch
        {
            TensorDataType.Int64 => BinaryPrimitives.ReadInt64LittleEndian(b[(i * 8)..]),
            TensorDataType.UInt64 => (long)BinaryPrimitives.ReadUInt64LittleEndian(b[(i * 8)..]),
            TensorDataType.Int32 => BinaryPrimitives.ReadInt32LittleEndian(b[(i * 4)..]),
            TensorDataType.UInt32 => BinaryPrimitives.ReadUInt32LittleEndian(b[(i * 4)..]),
            TensorDataType.Int16 => BinaryPrimitives.ReadInt16LittleEndian(b[(i * 2)..]),
            TensorDataType.UInt16 => BinaryPrimitives.ReadUInt16LittleEndian(b[(i * 2)..]),
            TensorDataType.Int8 => (sbyte)b[i],
            TensorDataType.UInt8 => b[i],
            TensorDataType.Bool => b[i] != 0 ? 1 : 0,
            _ => (long)ReadDouble(b, type, index),
        };
    }

    /// <summary>Stores an integer; narrower integer types wrap (two's complement), as a C cast does.</summary>
    public static void WriteInt64(Span<byte> b, TensorDataType type, long index, long value)
    {
        var i = checked((int)index);
        switch (type)
        {
            case TensorDataType.Int64:
            case TensorDataType.UInt64:
                BinaryPrimitives.WriteInt64LittleEndian(b[(i * 8)..], value);
                break;
            case TensorDataType.Int32:
            case TensorDataType.UInt32:
                BinaryPrimitives.WriteInt32LittleEndian(b[(i * 4)..], unchecked((int)value));
                break;
            case TensorDataType.Int16:
            case TensorDataType.UInt16:
                BinaryPrimitives.WriteInt16LittleEndian(b[(i * 2)..], unchecked((short)value));
                break;
            case TensorDataType.Int8:
            case TensorDataType.UInt8:
                b[i] = unchecked((byte)value);
                break;
            case TensorDataType.Bool:
                b[i] = value != 0 ? (byte)1 : (byte)0;
                break;
            default:
                WriteDouble(b, type, index, value);
                break;
        }
    }

    /// <summary>bfloat16 is the top half of a float; rounds to nearest even, NaN stays a (quiet) NaN.</summary>
    public static ushort ToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            return (ushort)((bits >> 16) | 0x0040);
        }
        var rounding = 0x7FFFu + ((bits >> 16) & 1);
        return (ushort)((bits + rounding) >> 16);
    }

    public static float FromBFloat16(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>
    /// FP8 E4M3FN with saturation (what cuda_fp8.h's __nv_cvt_float_to_fp8 does with __NV_SATFINITE): values beyond ±448,
    /// infinities included, become ±448; NaN becomes 0x7F; otherwise round to nearest even, subnormals included.
    /// </summary>
    public static byte ToFloat8E4M3(float value)
    {
        if (float.IsNaN(value))
        {
            return 0x7F;
        }
        var sign = value < 0 || (value == 0 && float.IsNegative(value)) ? 0x80 : 0;
        var a = Math.Abs((double)value);
        if (a >= Float8E4M3Max)
        {
            return (byte)(sign | 0x7E);
        }
        int code;
        if (a < 1.0 / 64)
        {
            // Subnormal step is 2^-9; rounding up to 8 steps lands exactly on the smallest normal's code 0x08.
            code = (int)Math.Round(a * 512, MidpointRounding.ToEven);
        }
        else
        {
            var e = Math.ILogB(a);
            var mantissa = (int)Math.Round(((a / Math.ScaleB(1, e)) - 1) * 8, MidpointRounding.ToEven);
            if (mantissa == 8)
            {
                e++;
                mantissa = 0;
            }
            code = ((e + 7) << 3) | mantissa;
        }
        return (byte)(sign | Math.Min(code, 0x7E));
    }

    public static float FromFloat8E4M3(byte bits)
    {
        var exponent = (bits >> 3) & 0xF;
        var mantissa = bits & 7;
        if (exponent == 0xF && mantissa == 7)
        {
            return float.NaN;
        }
        var magnitude = exponent == 0 ? mantissa / 512.0 : (1 + (mantissa / 8.0)) * Math.ScaleB(1, exponent - 7);
        return (float)((bits & 0x80) != 0 ? -magnitude : magnitude);
    }

    /// <summary>FP8 E5M2 is the top byte of a half; round to nearest even (overflow goes to infinity, as IEEE does).</summary>
    public static byte ToFloat8E5M2(float value)
    {
        var bits = BitConverter.HalfToUInt16Bits((Half)value);
        if (Half.IsNaN((Half)value))
        {
            return (byte)((bits >> 8) | 0x02);
        }
        var rounding = 0x7Fu + ((bits >> 8) & 1u);
        return (byte)((bits + rounding) >> 8);
    }
}
