using System.Runtime.InteropServices;
using Silica.Onnx.Graph;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Optimization.Quantization;

/// <summary>Reads constant float weights out of initializers.</summary>
internal static class WeightReader
{
    /// <summary>True when the value is a float initializer with its data present (a weight that can be quantized).</summary>
    public static bool IsFloatWeight(Value? value) =>
        value?.Initializer is { } t && (TensorDataType)t.DataType == TensorDataType.Float && TensorData.HasData(t)
        && t.DataLocation != TensorProto.Types.DataLocation.External;

    public static float[] Floats(TensorProto tensor)
    {
        if ((TensorDataType)tensor.DataType == TensorDataType.Float && !tensor.RawData.IsEmpty)
        {
            return MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray();
        }
        if (tensor.FloatData.Count > 0)
        {
            return [.. tensor.FloatData];
        }
        return [.. TensorData.ToDoubleArray(tensor).Select(v => (float)v)];
    }

    public static long[] Dims(TensorProto tensor) => [.. tensor.Dims];
}
