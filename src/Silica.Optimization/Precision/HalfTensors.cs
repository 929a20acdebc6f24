using System.Buffers.Binary;
using Silica.Onnx.Model;
using Silica.Onnx.Protobuf;

namespace Silica.Optimization.Precision;

/// <summary>Float32 tensors stored as FP16 or BF16 (round to nearest even; FP16 clamped to its finite range).</summary>
internal static class HalfTensors
{
    private const float MaxHalf = 65504f;

    /// <summary>The tensor's values in <paramref name="target"/>, named <paramref name="name"/>; counts clamped values.</summary>
    public static TensorProto Convert(TensorProto tensor, string name, TensorDataType target, ref long clamped)
    {
        var values = TensorData.ToDoubleArray(tensor);
        var raw = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            var f = (float)values[i];
            ushort bits;
            if (target == TensorDataType.Float16)
            {
                if (float.IsFinite(f) && Math.Abs(f) > MaxHalf)
                {
                    f = Math.Sign(f) * MaxHalf;
                    clamped++;
                }
                bits = BitConverter.HalfToUInt16Bits((Half)f);
            }
            else
            {
                bits = ToBFloat16Bits(f);
            }
            BinaryPrimitives.WriteUInt16LittleEndian(raw.AsSpan(i * 2), bits);
        }
        return TensorData.FromRaw(name, target, [.. tensor.Dims], raw);
    }

    /// <summary>A float rounded to BF16 (nearest, ties to even), as its 16 bits; NaN stays NaN.</summary>
    public static ushort ToBFloat16Bits(float f)
    {
        var u = BitConverter.SingleToUInt32Bits(f);
        if (float.IsNaN(f))
        {
            return (ushort)((u >> 16) | 0x40);
        }
        var rounding = 0x7FFFu + ((u >> 16) & 1);
        return (ushort)((u + rounding) >> 16);
    }

    /// <summary>A float rounded to the target and widened back: the value a half tensor would hold.</summary>
    public static float Round(float f, TensorDataType target) => target == TensorDataType.Float16
        ? (float)(Half)f
        : BitConverter.UInt32BitsToSingle((uint)ToBFloat16Bits(f) << 16);
}
