namespace Silica.Onnx.Model;

/// <summary>
/// Element types of ONNX tensors. The numeric values are the ONNX <c>TensorProto.DataType</c> codes,
/// so a value can be cast to and from the integer stored in a model file.
/// </summary>
public enum TensorDataType
{
    /// <summary>No type (invalid in a well-formed model).</summary>
    Undefined = 0,
    /// <summary>32-bit IEEE float.</summary>
    Float = 1,
    /// <summary>Unsigned 8-bit integer.</summary>
    UInt8 = 2,
    /// <summary>Signed 8-bit integer.</summary>
    Int8 = 3,
    /// <summary>Unsigned 16-bit integer.</summary>
    UInt16 = 4,
    /// <summary>Signed 16-bit integer.</summary>
    Int16 = 5,
    /// <summary>Signed 32-bit integer.</summary>
    Int32 = 6,
    /// <summary>Signed 64-bit integer.</summary>
    Int64 = 7,
    /// <summary>UTF-8 string (variable size per element).</summary>
    String = 8,
    /// <summary>Boolean stored in one byte.</summary>
    Bool = 9,
    /// <summary>16-bit IEEE half float.</summary>
    Float16 = 10,
    /// <summary>64-bit IEEE float.</summary>
    Double = 11,
    /// <summary>Unsigned 32-bit integer.</summary>
    UInt32 = 12,
    /// <summary>Unsigned 64-bit integer.</summary>
    UInt64 = 13,
    /// <summary>Complex number of two 32-bit floats.</summary>
    Complex64 = 14,
    /// <summary>Complex number of two 64-bit floats.</summary>
    Complex128 = 15,
    /// <summary>Brain float 16 (8-bit exponent, 7-bit mantissa).</summary>
    BFloat16 = 16,
    /// <summary>FP8 E4M3, finite only (the OCP "fn" variant used for inference).</summary>
    Float8E4M3FN = 17,
    /// <summary>FP8 E4M3 with no negative zero.</summary>
    Float8E4M3FNUZ = 18,
    /// <summary>FP8 E5M2.</summary>
    Float8E5M2 = 19,
    /// <summary>FP8 E5M2 with no negative zero.</summary>
    Float8E5M2FNUZ = 20,
    /// <summary>Unsigned 4-bit integer, two per byte.</summary>
    UInt4 = 21,
    /// <summary>Signed 4-bit integer, two per byte.</summary>
    Int4 = 22,
    /// <summary>FP4 E2M1, two per byte.</summary>
    Float4E2M1 = 23,
}
