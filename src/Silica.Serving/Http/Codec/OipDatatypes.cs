using Silica.Onnx.Model;

namespace Silica.Serving.Http.Codec;

/// <summary>The Open Inference Protocol's datatype names (<c>FP32</c>, <c>INT64</c>, …) and the element types they stand for.</summary>
internal static class OipDatatypes
{
    /// <summary>The element type of an OIP datatype name; null for names the protocol does not define.</summary>
    /// <remarks><c>BYTES</c> is defined but not dense, so callers must refuse it separately (see <see cref="IsBytes"/>).</remarks>
    public static TensorDataType? Parse(ReadOnlySpan<char> name) => name switch
    {
        "BOOL" => TensorDataType.Bool,
        "UINT8" => TensorDataType.UInt8,
        "UINT16" => TensorDataType.UInt16,
        "UINT32" => TensorDataType.UInt32,
        "UINT64" => TensorDataType.UInt64,
        "INT8" => TensorDataType.Int8,
        "INT16" => TensorDataType.Int16,
        "INT32" => TensorDataType.Int32,
        "INT64" => TensorDataType.Int64,
        "FP16" => TensorDataType.Float16,
        "FP32" => TensorDataType.Float,
        "FP64" => TensorDataType.Double,
        "BF16" => TensorDataType.BFloat16,
        _ => null,
    };

    /// <summary>True for the variable-length <c>BYTES</c> type, which Silica does not serve.</summary>
    public static bool IsBytes(ReadOnlySpan<char> name) => name is "BYTES";

    /// <summary>The OIP name of an element type; the ONNX name upper-cased for types OIP lacks.</summary>
    public static string Name(TensorDataType type) => type switch
    {
        TensorDataType.Bool => "BOOL",
        TensorDataType.UInt8 => "UINT8",
        TensorDataType.UInt16 => "UINT16",
        TensorDataType.UInt32 => "UINT32",
        TensorDataType.UInt64 => "UINT64",
        TensorDataType.Int8 => "INT8",
        TensorDataType.Int16 => "INT16",
        TensorDataType.Int32 => "INT32",
        TensorDataType.Int64 => "INT64",
        TensorDataType.Float16 => "FP16",
        TensorDataType.Float => "FP32",
        TensorDataType.Double => "FP64",
        TensorDataType.BFloat16 => "BF16",
        TensorDataType.String => "BYTES",
        _ => type.DisplayName().ToUpperInvariant(),
    };
}
