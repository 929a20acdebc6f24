namespace Silica.Serving.Http.Codec;

/// <summary>Conversions between <c>double</c> and bfloat16 bit patterns (the top 16 bits of an FP32).</summary>
internal static class BFloat16Bits
{
    /// <summary>Rounds to the nearest bfloat16 (ties to even); false when the value is not finite or overflows bfloat16.</summary>
    public static bool TryFromDouble(double value, out ushort bits)
    {
        var f = (float)value;
        if (!float.IsFinite(f))
        {
            bits = 0;
            return false;
        }
        var u = BitConverter.SingleToUInt32Bits(f);
        var rounded = u + 0x7FFFu + ((u >> 16) & 1u);
        bits = (ushort)(rounded >> 16);
        // Rounding up past the largest finite bfloat16 gives infinity: out of range, not silently clamped.
        return (bits & 0x7F80) != 0x7F80;
    }

    /// <summary>The value of a bfloat16 bit pattern.</summary>
    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);
}
