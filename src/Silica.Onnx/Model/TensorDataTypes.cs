namespace Silica.Onnx.Model;

/// <summary>Facts about <see cref="TensorDataType"/> values: sizes, names and classes.</summary>
public static class TensorDataTypes
{
    /// <summary>Bits one element occupies in a dense tensor; 0 for strings (variable size).</summary>
    public static int BitsPerElement(this TensorDataType type) => type switch
    {
        TensorDataType.Float or TensorDataType.Int32 or TensorDataType.UInt32 => 32,
        TensorDataType.Double or TensorDataType.Int64 or TensorDataType.UInt64 or TensorDataType.Complex64 => 64,
        TensorDataType.Complex128 => 128,
        TensorDataType.Float16 or TensorDataType.BFloat16 or TensorDataType.Int16 or TensorDataType.UInt16 => 16,
        TensorDataType.UInt8 or TensorDataType.Int8 or TensorDataType.Bool
            or TensorDataType.Float8E4M3FN or TensorDataType.Float8E4M3FNUZ
            or TensorDataType.Float8E5M2 or TensorDataType.Float8E5M2FNUZ => 8,
        TensorDataType.UInt4 or TensorDataType.Int4 or TensorDataType.Float4E2M1 => 4,
        _ => 0,
    };

    /// <summary>Bytes needed for <paramref name="elementCount"/> elements (sub-byte types round up).</summary>
    /// <exception cref="OverflowException">The size does not fit in 64 bits.</exception>
    public static long ByteCount(this TensorDataType type, long elementCount)
    {
        var bits = type.BitsPerElement();
        return bits switch
        {
            0 => 0,
            4 => checked(elementCount + 1) / 2,
            _ => checked(elementCount * (bits / 8)),
        };
    }

    /// <summary>True for floating-point types, including FP16, BF16 and the FP8/FP4 formats.</summary>
    public static bool IsFloatingPoint(this TensorDataType type) => type is TensorDataType.Float or TensorDataType.Double
        or TensorDataType.Float16 or TensorDataType.BFloat16 or TensorDataType.Float8E4M3FN or TensorDataType.Float8E4M3FNUZ
        or TensorDataType.Float8E5M2 or TensorDataType.Float8E5M2FNUZ or TensorDataType.Float4E2M1;

    /// <summary>True for signed and unsigned integer types (not bool).</summary>
    public static bool IsInteger(this TensorDataType type) => type is TensorDataType.Int8 or TensorDataType.UInt8
        or TensorDataType.Int16 or TensorDataType.UInt16 or TensorDataType.Int32 or TensorDataType.UInt32
        or TensorDataType.Int64 or TensorDataType.UInt64 or TensorDataType.Int4 or TensorDataType.UInt4;

    /// <summary>True when <paramref name="code"/> is a data type code that ONNX defines.</summary>
    public static bool IsDefined(int code) => code is >= 1 and <= 23;

    /// <summary>The lower-case name ONNX tools print for the type (<c>float</c>, <c>int64</c>, <c>float16</c>...).</summary>
    public static string DisplayName(this TensorDataType type) => type switch
    {
        TensorDataType.Float => "float",
        TensorDataType.UInt8 => "uint8",
        TensorDataType.Int8 => "int8",
        TensorDataType.UInt16 => "uint16",
        TensorDataType.Int16 => "int16",
        TensorDataType.Int32 => "int32",
        TensorDataType.Int64 => "int64",
        TensorDataType.String => "string",
        TensorDataType.Bool => "bool",
        TensorDataType.Float16 => "float16",
        TensorDataType.Double => "double",
        TensorDataType.UInt32 => "uint32",
        TensorDataType.UInt64 => "uint64",
        TensorDataType.Complex64 => "complex64",
        TensorDataType.Complex128 => "complex128",
        TensorDataType.BFloat16 => "bfloat16",
        TensorDataType.Float8E4M3FN => "float8e4m3fn",
        TensorDataType.Float8E4M3FNUZ => "float8e4m3fnuz",
        TensorDataType.Float8E5M2 => "float8e5m2",
        TensorDataType.Float8E5M2FNUZ => "float8e5m2fnuz",
        TensorDataType.UInt4 => "uint4",
        TensorDataType.Int4 => "int4",
        TensorDataType.Float4E2M1 => "float4e2m1",
        _ => "undefined",
    };
}
