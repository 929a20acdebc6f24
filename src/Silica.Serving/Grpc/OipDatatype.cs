using Silica.Onnx.Model;

namespace Silica.Serving.Grpc;

/// <summary>The Open Inference Protocol's datatype names (<c>FP32</c>, <c>INT64</c>, …) for Silica's element types.</summary>
internal static class OipDatatype
{
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

    /// <summary>Parses a wire datatype name; false for names the protocol does not define (BYTES included: Silica serves dense tensors).</summary>
    public static bool TryParse(string name, out TensorDataType type)
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
            _ => TensorDataType.Undefined,
        };
        return type != TensorDataType.Undefined;
    }
}
