using Silica.Onnx.Model;
using Silica.Runtime.Tensors;

namespace Silica.Optimization.Ocr;

/// <summary>
/// Model outputs as floats: a converted model may hand back FP16 or BF16 when asked to keep its outputs in the
/// lower precision, and the OCR metrics must score it all the same.
/// </summary>
internal static class OutputValues
{
    public static bool IsFloating(TensorDataType type) =>
        type is TensorDataType.Float or TensorDataType.Float16 or TensorDataType.BFloat16;

    public static ReadOnlySpan<float> AsFloats(Tensor tensor)
    {
        switch (tensor.ElementType)
        {
            case TensorDataType.Float:
                return tensor.AsFloats();
            case TensorDataType.Float16:
                {
                    var half = tensor.AsSpan<Half>();
                    var values = new float[half.Length];
                    for (var i = 0; i < half.Length; i++)
                    {
                        values[i] = (float)half[i];
                    }
                    return values;
                }
            case TensorDataType.BFloat16:
                {
                    // BF16 is the top half of an FP32.
                    var bits = tensor.AsSpan<ushort>();
                    var values = new float[bits.Length];
                    for (var i = 0; i < bits.Length; i++)
                    {
                        values[i] = BitConverter.Int32BitsToSingle(bits[i] << 16);
                    }
                    return values;
                }
            default:
                throw new ArgumentException($"expected float, float16 or bfloat16 output, got {tensor}");
        }
    }
}
