using Silica.Onnx.Model;

namespace Silica.Benchmarking.Remote;

/// <summary>OIP datatype names on the client side.</summary>
internal static class WireDatatype
{
    public static TensorDataType Parse(string name) => name switch
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
        _ => throw new RemoteInferenceException($"the server reports datatype '{name}', which the bench client cannot synthesize"),
    };
}
