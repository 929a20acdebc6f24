using System.Diagnostics.CodeAnalysis;
using Silica.Onnx.Model;

namespace Silica.Serving.Hosting;

/// <summary>Open Inference Protocol v2 datatype names (<c>FP32</c>, <c>INT64</c>, <c>BYTES</c>…) and their ONNX element types.</summary>
public static class OipDatatypes
{
    /// <summary>The protocol name of <paramref name="type"/>, or null when the protocol has none (FP8, 4-bit, complex).</summary>
    public static string? NameOf(TensorDataType type) => type switch
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
        _ => null,
    };

    /// <summary>The protocol name of <paramref name="type"/>, or its ONNX name in lower case when the protocol has none.</summary>
    public static string Display(TensorDataType type) => NameOf(type) ?? type.DisplayName();

    /// <summary>Parses a protocol datatype name (exact, upper case as the protocol spells it).</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out TensorDataType? type)
    {
        type = name switch
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
            "BYTES" => TensorDataType.String,
            _ => null,
        };
        return type is not null;
    }

    /// <summary>Every protocol datatype name, for messages.</summary>
    public static string AllNames => "BOOL, UINT8, UINT16, UINT32, UINT64, INT8, INT16, INT32, INT64, FP16, FP32, FP64, BF16, BYTES";
}
